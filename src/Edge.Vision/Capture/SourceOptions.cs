namespace Edge.Capture;

/// <summary>How <see cref="FrameSourceFactory.Open(string, SourceOptions)"/> opens and keeps a source.</summary>
public sealed record SourceOptions
{
    /// <summary>Start a file or folder over when it ends (timestamps keep increasing).</summary>
    public bool Loop { get; init; }

    /// <summary>Reconnect policy of live sources (cameras, streams, GStreamer pipelines).</summary>
    public ReconnectOptions Reconnect { get; init; } = new();

    /// <summary>Network streams: how long opening may take before the attempt fails.</summary>
    public TimeSpan OpenTimeout { get; init; } = VideoCaptureSource.DefaultOpenTimeout;

    /// <summary>Network streams: a read silent for this long fails, which counts as losing the stream.</summary>
    public TimeSpan ReadTimeout { get; init; } = VideoCaptureSource.DefaultReadTimeout;

    /// <summary>Which decoder opens network URLs.</summary>
    public StreamBackend StreamBackend { get; init; } = StreamBackend.Auto;

    /// <summary>Frame rate assigned to images and image folders (they carry none).</summary>
    public double ImageFps { get; init; } = 25;

    /// <summary>Size and rate asked of a camera opened by index or <c>/dev/videoN</c> (0: the driver's default). The
    /// driver picks its nearest mode; the opened source's Width, Height and Fps say what it gave. Pipelines and
    /// streams carry their own.</summary>
    public CameraMode CameraMode { get; init; } = CameraMode.DriverDefault;

    public void Validate()
    {
        Reconnect.Validate();
        if (OpenTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OpenTimeout), OpenTimeout, "must be positive");
        }
        if (ReadTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadTimeout), ReadTimeout, "must be positive");
        }
        if (!(ImageFps > 0) || !double.IsFinite(ImageFps))
        {
            throw new ArgumentOutOfRangeException(nameof(ImageFps), ImageFps, "must be a positive number");
        }
        if (CameraMode.Width < 0 || CameraMode.Height < 0 || !(CameraMode.Fps >= 0) || !double.IsFinite(CameraMode.Fps))
        {
            throw new ArgumentOutOfRangeException(nameof(CameraMode), CameraMode, "sizes and rate must be 0 (driver default) or positive");
        }
    }
}

/// <summary>A camera capture mode to request; a zero field leaves that one to the driver.</summary>
public readonly record struct CameraMode(int Width, int Height, double Fps)
{
    public static CameraMode DriverDefault => default;
}
