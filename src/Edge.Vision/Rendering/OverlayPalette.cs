using SkiaSharp;

namespace Edge.Rendering;

/// <summary>Distinct colours for classes and track ids (the 20-colour palette Ultralytics uses for its plots).</summary>
public static class OverlayPalette
{
    private static readonly SKColor[] Colors =
    [
        SKColor.Parse("FF3838"), SKColor.Parse("FF9D97"), SKColor.Parse("FF701F"), SKColor.Parse("FFB21D"),
        SKColor.Parse("CFD231"), SKColor.Parse("48F90A"), SKColor.Parse("92CC17"), SKColor.Parse("3DDB86"),
        SKColor.Parse("1A9334"), SKColor.Parse("00D4BB"), SKColor.Parse("2C99A8"), SKColor.Parse("00C2FF"),
        SKColor.Parse("344593"), SKColor.Parse("6473FF"), SKColor.Parse("0018EC"), SKColor.Parse("8438FF"),
        SKColor.Parse("520085"), SKColor.Parse("CB38FF"), SKColor.Parse("FF95C8"), SKColor.Parse("FF37C7"),
    ];

    public static SKColor For(int key) => Colors[(int)((uint)key % (uint)Colors.Length)];
}
