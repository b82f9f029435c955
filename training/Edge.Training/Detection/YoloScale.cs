namespace Edge.Training.Detection;

/// <summary>YOLOv8 model scales (ultralytics/cfg/models/v8/yolov8.yaml: depth, width, max channels).</summary>
public sealed record YoloScale(string Name, double Depth, double Width, int MaxChannels)
{
    public static readonly YoloScale N = new("n", 0.33, 0.25, 1024);
    public static readonly YoloScale S = new("s", 0.33, 0.50, 1024);

    public static YoloScale Parse(string name) => name.ToLowerInvariant() switch
    {
        "n" => N,
        "s" => S,
        _ => throw new EdgeException($"unknown YOLOv8 scale '{name}' (use n or s)"),
    };

    /// <summary>Channels after scaling, rounded up to a multiple of 8 as Ultralytics' make_divisible does.</summary>
    public int Channels(int c) => (int)(Math.Ceiling(Math.Min(c, MaxChannels) * Width / 8) * 8);

    /// <summary>Repeats after scaling: max(round(n·depth), 1).</summary>
    public int Repeats(int n) => n > 1 ? Math.Max((int)Math.Round(n * Depth), 1) : n;
}
