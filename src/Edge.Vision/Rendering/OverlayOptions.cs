using SkiaSharp;

namespace Edge.Rendering;

/// <summary>What <see cref="OverlayRenderer"/> draws and how. Shared by the CLI's annotated video and the service's
/// preview stream.</summary>
public sealed record OverlayOptions
{
    public float BoxThickness { get; init; } = 2;

    public float FontSize { get; init; } = 14;

    public bool ShowLabels { get; init; } = true;

    public bool ShowScores { get; init; } = true;

    public bool ShowFps { get; init; } = true;

    /// <summary>Draw tracks (id + trail) instead of raw detections when the frame has tracks.</summary>
    public bool PreferTracks { get; init; } = true;

    /// <summary>Centre points kept per track for its trail; 0 disables trails.</summary>
    public int TrailLength { get; init; } = 30;

    /// <summary>Opacity (0..1) of boxes that are not the follow target while a target is locked.</summary>
    public float DimmedOpacity { get; init; } = 0.35f;

    public float TargetThickness { get; init; } = 4;

    public SKColor TargetColor { get; init; } = new(0, 255, 0);

    public SKColor TextColor { get; init; } = SKColors.White;

    /// <summary>A TrueType font file; null picks DejaVu Sans or the platform default.</summary>
    public string? FontPath { get; init; }
}
