using System.Runtime.CompilerServices;

namespace Edge.Geometry;

/// <summary>An axis-aligned box in continuous pixel coordinates, corners (X1, Y1) top-left and (X2, Y2)
/// bottom-right, with X2 = X1 + width (the MOTChallenge/TrackEval convention, no "+1 pixel").</summary>
public readonly record struct BoxF(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float CenterX => (X1 + X2) * 0.5f;
    public float CenterY => (Y1 + Y2) * 0.5f;
    public float Area => MathF.Max(0f, Width) * MathF.Max(0f, Height);
    public bool IsEmpty => !(Width > 0f && Height > 0f);

    public static BoxF FromXywh(float x, float y, float w, float h) => new(x, y, x + w, y + h);

    public static BoxF FromCenter(float cx, float cy, float w, float h) =>
        new(cx - w * 0.5f, cy - h * 0.5f, cx + w * 0.5f, cy + h * 0.5f);

    /// <summary>Clips the box to [0, width] x [0, height].</summary>
    public BoxF Clip(float width, float height) => new(
        Math.Clamp(X1, 0f, width), Math.Clamp(Y1, 0f, height),
        Math.Clamp(X2, 0f, width), Math.Clamp(Y2, 0f, height));

    public bool Contains(float x, float y) => x >= X1 && x <= X2 && y >= Y1 && y <= Y2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float IntersectionArea(in BoxF other)
    {
        float w = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        float h = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        return w > 0f && h > 0f ? w * h : 0f;
    }

    /// <summary>Intersection over union; 0 when both boxes are empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float IoU(in BoxF other)
    {
        float inter = IntersectionArea(other);
        if (inter <= 0f)
        {
            return 0f;
        }
        return inter / (Area + other.Area - inter);
    }

    public override string ToString() => $"[{X1:0.#},{Y1:0.#},{X2:0.#},{Y2:0.#}]";
}
