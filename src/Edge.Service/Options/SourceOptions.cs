namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Source</c>: what <c>edge run</c> reads frames from. <see cref="Uri"/> (or
/// <c>edge run --source</c>) wins; otherwise <see cref="Kind"/> picks one of the per-kind sub-sections, so a device
/// configuration can keep the CSI, USB and file settings side by side and switch with one key.</summary>
public sealed class SourceOptions
{
    public const string Section = "Edge:Source";

    /// <summary>Anything <c>FrameSourceFactory.Open</c> accepts: a file, a camera index, /dev/videoN, an rtsp:// URL,
    /// a GStreamer pipeline ending in appsink.</summary>
    public string? Uri { get; set; }

    /// <summary>Csi, Usb or File; used when <see cref="Uri"/> is empty.</summary>
    public string? Kind { get; set; }

    public CsiSourceOptions Csi { get; set; } = new();
    public UsbSourceOptions Usb { get; set; } = new();
    public FileSourceOptions File { get; set; } = new();

    /// <summary>Size and rate asked of a camera opened by index or /dev/videoN (<c>Usb:Device</c> without a pipeline,
    /// or such a <see cref="Uri"/>); 0 leaves it to the driver. Pipelines carry their own caps.</summary>
    public int Width { get; set; }
    public int Height { get; set; }
    public double Fps { get; set; }

    /// <summary>First delay before a lost live source (camera, stream, GStreamer pipeline) is reopened; later attempts
    /// of the same outage back off exponentially (x2, +-20 % jitter) up to <see cref="ReconnectMaxDelaySeconds"/>.</summary>
    public double ReconnectDelaySeconds { get; set; } = 2;

    /// <summary>Upper bound of the reconnect backoff.</summary>
    public double ReconnectMaxDelaySeconds { get; set; } = 30;

    /// <summary>Network streams: opening may take this long before the attempt fails.</summary>
    public double OpenTimeoutSeconds { get; set; } = 10;

    /// <summary>Network streams: a read silent for this long counts as losing the stream (then it reconnects).</summary>
    public double ReadTimeoutSeconds { get; set; } = 5;

    /// <summary>Capture reports unhealthy when no frame arrived for this long.</summary>
    public double StallTimeoutSeconds { get; set; } = 5;

    /// <summary>Restart a file source from its first frame when it ends (demo and endurance runs).</summary>
    public bool Loop { get; set; }

    /// <summary>The capture layer's options: live sources retry their first open (a service may start before its
    /// camera) and reconnect with backoff; files end or, with <see cref="Loop"/>, start over.</summary>
    public Edge.Capture.SourceOptions ToCapture() => new()
    {
        Loop = Loop,
        CameraMode = new Edge.Capture.CameraMode(Width, Height, Fps),
        OpenTimeout = TimeSpan.FromSeconds(OpenTimeoutSeconds),
        ReadTimeout = TimeSpan.FromSeconds(ReadTimeoutSeconds),
        Reconnect = new Edge.Capture.ReconnectOptions
        {
            RetryFirstOpen = true,
            Backoff = new Edge.Capture.BackoffOptions
            {
                Initial = TimeSpan.FromSeconds(ReconnectDelaySeconds),
                Max = TimeSpan.FromSeconds(Math.Max(ReconnectDelaySeconds, ReconnectMaxDelaySeconds)),
            },
        },
    };

    /// <summary>The source string to open; null when nothing is configured.</summary>
    public string? Resolve() =>
        !string.IsNullOrWhiteSpace(Uri) ? Uri.Trim()
        : Kind?.Trim().ToLowerInvariant() switch
        {
            "csi" => Csi.Pipeline,
            "usb" => string.IsNullOrWhiteSpace(Usb.Pipeline) ? Usb.Device : Usb.Pipeline,
            "file" => File.Path,
            _ => null,
        };
}

public sealed class CsiSourceOptions
{
    /// <summary>GStreamer pipeline ending in <c>appsink</c> (nvarguscamerasrc on a Jetson).</summary>
    public string? Pipeline { get; set; }
}

public sealed class UsbSourceOptions
{
    public string? Device { get; set; } = "/dev/video0";

    /// <summary>Optional GStreamer pipeline; when empty the device is opened through V4L2 directly.</summary>
    public string? Pipeline { get; set; }
}

public sealed class FileSourceOptions
{
    public string? Path { get; set; }
}
