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
    }
}
