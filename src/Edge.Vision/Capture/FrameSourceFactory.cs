using System.Globalization;

namespace Edge.Capture;

/// <summary>Opens the right <see cref="IFrameSource"/> for a source string:
/// <list type="bullet">
/// <item>a digit (<c>0</c>) or <c>/dev/videoN</c>: camera;</item>
/// <item><c>rtsp://</c>, <c>rtmp://</c>, <c>http(s)://</c>: network stream;</item>
/// <item>a string containing <c>appsink</c> or starting with <c>gst:</c>: raw GStreamer pipeline;</item>
/// <item>an existing folder: its images in name order; a file with an image extension: one image;</item>
/// <item>anything else: a video file.</item>
/// </list></summary>
public static class FrameSourceFactory
{
    private const string GStreamerPrefix = "gst:";

    public static FrameSourceKind Classify(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (source.StartsWith(GStreamerPrefix, StringComparison.OrdinalIgnoreCase) || source.Contains("appsink", StringComparison.Ordinal))
        {
            return FrameSourceKind.GStreamerPipeline;
        }
        if (TryCameraIndex(source, out _))
        {
            return FrameSourceKind.Camera;
        }
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "rtsp" or "rtsps" or "rtmp" or "http" or "https" or "udp" or "tcp")
        {
            return FrameSourceKind.NetworkStream;
        }
        if (Directory.Exists(source))
        {
            return FrameSourceKind.ImageFolder;
        }
        return ImageSequenceSource.ImageExtensions.Contains(Path.GetExtension(source)) ? FrameSourceKind.Image : FrameSourceKind.VideoFile;
    }

    /// <summary>Opens the source once, without reconnecting or looping (tools, tests).</summary>
    public static IFrameSource Open(string source) => OpenOnce(source, Classify(source), new SourceOptions());

    /// <summary>Opens the source under a <see cref="ReconnectingFrameSource"/> whose <see cref="ReconnectingFrameSource.Status"/>
    /// reports its state: cameras, streams and GStreamer pipelines reconnect with backoff when lost; files and folders
    /// end, or start over when <see cref="SourceOptions.Loop"/> is set.</summary>
    public static ReconnectingFrameSource Open(string source, SourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FrameSourceKind kind = Classify(source);
        bool live = IsLiveKind(kind);
        ReconnectOptions reconnect = live
            ? options.Reconnect with { OnEnd = SourceEndAction.Reconnect }
            : new ReconnectOptions { OnEnd = options.Loop ? SourceEndAction.Loop : SourceEndAction.End };
        return ReconnectingFrameSource.Open(source, () => OpenOnce(source, kind, options), reconnect, isLive: live);
    }

    /// <summary>Cameras, network streams and GStreamer pipelines deliver in real time.</summary>
    public static bool IsLiveKind(FrameSourceKind kind) => kind is FrameSourceKind.Camera or FrameSourceKind.NetworkStream or FrameSourceKind.GStreamerPipeline;

    private static IFrameSource OpenOnce(string source, FrameSourceKind kind, SourceOptions options)
    {
        return kind switch
        {
            FrameSourceKind.GStreamerPipeline => VideoCaptureSource.OpenGStreamer(
                source.StartsWith(GStreamerPrefix, StringComparison.OrdinalIgnoreCase) ? source[GStreamerPrefix.Length..].Trim() : source),
            FrameSourceKind.Camera => VideoCaptureSource.OpenCamera(TryCameraIndex(source, out int index) ? index : 0, source, options.CameraMode),
            FrameSourceKind.NetworkStream => OpenStream(source, options),
            FrameSourceKind.ImageFolder => ImageSequenceSource.OpenFolder(source, options.ImageFps),
            FrameSourceKind.Image => ImageSequenceSource.OpenImage(source, options.ImageFps),
            // A FrameRecorder recording replays with the live run's frame indices and timestamps.
            _ when Recording.RecordingSource.IsRecording(source) => Recording.RecordingSource.Open(source),
            _ => VideoCaptureSource.OpenFile(source),
        };
    }

    private static IFrameSource OpenStream(string url, SourceOptions options)
    {
        string? ffmpeg = options.StreamBackend == StreamBackend.OpenCv ? null : FfmpegProcessSource.FindFfmpeg();
        if (options.StreamBackend == StreamBackend.Ffmpeg && ffmpeg is null)
        {
            throw new EdgeException($"cannot open source '{url}': ffmpeg not found on PATH (install the ffmpeg package)");
        }
        return ffmpeg is not null
            ? FfmpegProcessSource.Open(url, options.OpenTimeout, options.ReadTimeout, ffmpeg)
            : VideoCaptureSource.OpenStream(url, options.OpenTimeout, options.ReadTimeout);
    }

    private static bool TryCameraIndex(string source, out int index)
    {
        const string device = "/dev/video";
        ReadOnlySpan<char> digits = source.StartsWith(device, StringComparison.Ordinal) ? source.AsSpan(device.Length) : source.AsSpan();
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index) && digits.Length <= 3;
    }
}
