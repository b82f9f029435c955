namespace Edge.Appearance;

/// <summary>How a crop model wants its input: size, channel count and order, and per-channel normalisation
/// <c>(pixel / 255 − mean) / std</c>. Crops are stretched to the size (no aspect-preserving letterbox): that is how
/// re-id models are trained (torchreid resizes to 256×128) and how <c>edge-train classify</c> builds its inputs.</summary>
public sealed record CropLayout(int Width, int Height, int Channels, bool Rgb, float[] Mean, float[] Std)
{
    /// <summary>ImageNet RGB normalisation at width × height (torchreid, models README "How to feed it").</summary>
    public static CropLayout ImageNet(int width, int height) =>
        new(width, height, 3, Rgb: true, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Pixels scaled to 0..1, RGB or grey (luma), as <c>edge-train</c>'s ImageFolder does.</summary>
    public static CropLayout Unit(int width, int height, int channels) =>
        new(width, height, channels, Rgb: true, channels == 1 ? [0f] : [0f, 0f, 0f], channels == 1 ? [1f] : [1f, 1f, 1f]);

    /// <summary>Floats of one crop in NCHW.</summary>
    public int Length => Channels * Width * Height;

    public void Validate()
    {
        if (Width < 1 || Height < 1 || (Channels != 1 && Channels != 3) || Mean.Length != Channels || Std.Length != Channels || Std.Any(s => !(s > 0)))
        {
            throw new EdgeException($"Crop layout {Width}x{Height}x{Channels}: size must be positive, channels 1 or 3, one mean and positive std per channel.");
        }
    }
}
