namespace Edge.Geometry;

/// <summary>A 2x3 affine transform [A B Tx; C D Ty] mapping previous-frame pixels to current-frame pixels
/// (camera-motion compensation, as BoT-SORT's GMC, arXiv 2206.14651 section 3.2).</summary>
public readonly record struct Affine2D(float A, float B, float Tx, float C, float D, float Ty)
{
    public static Affine2D Identity { get; } = new(1f, 0f, 0f, 0f, 1f, 0f);

    public bool IsIdentity => this == Identity;

    public (float X, float Y) Apply(float x, float y) => (A * x + B * y + Tx, C * x + D * y + Ty);
}
