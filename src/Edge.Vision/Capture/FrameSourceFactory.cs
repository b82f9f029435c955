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

    public static IFrameSource Open(string source)
    {
        return Classify(source) switch
        {
            FrameSourceKind.GStreamerPipeline => VideoCaptureSource.OpenGStreamer(
                source.StartsWith(GStreamerPrefix, StringComparison.OrdinalIgnoreCase) ? source[GStreamerPrefix.Length..].Trim() : source),
            FrameSourceKind.Camera => VideoCaptureSource.OpenCamera(TryCameraIndex(source, out int index) ? index : 0, source),
            FrameSourceKind.NetworkStream => VideoCaptureSource.OpenStream(source),
            FrameSourceKind.ImageFolder => ImageSequenceSource.OpenFolder(source),
            FrameSourceKind.Image => ImageSequenceSource.OpenImage(source),
            // A FrameRecorder recording replays with the live run's frame indices and timestamps.
            _ when Recording.RecordingSource.IsRecording(source) => Recording.RecordingSource.Open(source),
            _ => VideoCaptureSource.OpenFile(source),
        };
    }

    private static bool TryCameraIndex(string source, out int index)
    {
        const string device = "/dev/video";
        ReadOnlySpan<char> digits = source.StartsWith(device, StringComparison.Ordinal) ? source.AsSpan(device.Length) : source.AsSpan();
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index) && digits.Length <= 3;
    }
}
