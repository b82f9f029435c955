using OpenCvSharp;

namespace Edge.Capture;

/// <summary>Frames from OpenCV's <see cref="VideoCapture"/>: a video file, a camera, an RTSP/HTTP stream or a GStreamer
/// pipeline. File timestamps are index / fps (container timestamps of AVI/MJPEG are often missing); live timestamps are
/// wall-clock seconds since the first frame.</summary>
public sealed class VideoCaptureSource : IFrameSource
{
    private const double DefaultFps = 25;
    private readonly VideoCapture _capture;
    private long _next;
    private readonly LiveFrameClock _clock = new();

    private VideoCaptureSource(VideoCapture capture, string name, FrameSourceKind kind)
    {
        _capture = capture;
        Name = name;
        Kind = kind;
        IsLive = kind is FrameSourceKind.Camera or FrameSourceKind.NetworkStream or FrameSourceKind.GStreamerPipeline;
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
        double fps = capture.Fps;
        Fps = double.IsFinite(fps) && fps > 0 && fps < 1000 ? fps : DefaultFps;
        int count = kind == FrameSourceKind.VideoFile ? capture.FrameCount : 0;
        FrameCount = count > 0 ? count : null;
    }

    public string Name { get; }

    public FrameSourceKind Kind { get; }

    public int Width { get; }

    public int Height { get; }

    public double Fps { get; }

    public int? FrameCount { get; }

    public bool IsLive { get; }

    /// <summary>Opens a video file; throws <see cref="EdgeException"/> when it is missing or OpenCV cannot decode it.</summary>
    public static VideoCaptureSource OpenFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"cannot open video '{path}': file not found");
        }
        var capture = new VideoCapture(path, VideoCaptureAPIs.ANY);
        return Checked(capture, path, FrameSourceKind.VideoFile, "not a video OpenCV can decode");
    }

    /// <summary>Opens camera <paramref name="index"/> (/dev/video<i>index</i> on Linux), asking for
    /// <paramref name="mode"/>'s non-zero size and rate before the first read.</summary>
    public static VideoCaptureSource OpenCamera(int index, string name, CameraMode mode = default)
    {
        var capture = new VideoCapture(index, VideoCaptureAPIs.ANY);
        if (capture.IsOpened())
        {
            if (mode.Width > 0)
            {
                capture.Set(VideoCaptureProperties.FrameWidth, mode.Width);
            }
            if (mode.Height > 0)
            {
                capture.Set(VideoCaptureProperties.FrameHeight, mode.Height);
            }
            if (mode.Fps > 0)
            {
                capture.Set(VideoCaptureProperties.Fps, mode.Fps);
            }
        }
        return Checked(capture, name, FrameSourceKind.Camera, "camera not available");
    }

    /// <summary>Opens an RTSP/HTTP(S)/TCP/UDP stream through OpenCV's FFmpeg backend with open and read timeouts
    /// (OpenCV's <c>CAP_PROP_OPEN_TIMEOUT_MSEC</c> / <c>CAP_PROP_READ_TIMEOUT_MSEC</c>, implemented by FFmpeg's interrupt
    /// callback), so an unreachable or hung stream fails instead of blocking the capture thread forever.</summary>
    public static VideoCaptureSource OpenStream(string url, TimeSpan? openTimeout = null, TimeSpan? readTimeout = null)
    {
        int openMs = TimeoutMilliseconds(openTimeout ?? DefaultOpenTimeout), readMs = TimeoutMilliseconds(readTimeout ?? DefaultReadTimeout);
        var capture = new VideoCapture(url, VideoCaptureAPIs.FFMPEG, [OpenTimeoutProperty, openMs, ReadTimeoutProperty, readMs]);
        return Checked(capture, url, FrameSourceKind.NetworkStream, $"stream not reachable or not decodable within {openMs} ms");
    }

    /// <summary>Opens a raw GStreamer pipeline string ending in appsink (e.g. nvarguscamerasrc ! ... ! appsink on Jetson).
    /// Fails with a message that says so when this OpenCV build has no GStreamer backend (the official OpenCvSharp
    /// runtime for linux-x64 has none; JetPack's OpenCV has it).</summary>
    public static VideoCaptureSource OpenGStreamer(string pipeline)
    {
        if (!HasGStreamer)
        {
            throw new EdgeException($"cannot open source '{pipeline}': this OpenCV build has no GStreamer backend " +
                "(Cv2.GetBuildInformation() lists no 'GStreamer: YES' under Video I/O); use an OpenCV built with GStreamer, e.g. JetPack's on Jetson");
        }
        var capture = new VideoCapture(pipeline, VideoCaptureAPIs.GSTREAMER);
        return Checked(capture, pipeline, FrameSourceKind.GStreamerPipeline, "GStreamer pipeline did not start (check the elements and that it ends in appsink)");
    }

    /// <summary>True when OpenCV's build information lists a GStreamer video I/O backend.</summary>
    public static bool HasGStreamer => LazyHasGStreamer.Value;

    /// <summary>Default open timeout of network streams.</summary>
    public static readonly TimeSpan DefaultOpenTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default read timeout of network streams: a stream silent for this long counts as lost.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(5);

    // cv::CAP_PROP_OPEN_TIMEOUT_MSEC and cv::CAP_PROP_READ_TIMEOUT_MSEC (videoio.hpp, OpenCV >= 4.5.2); OpenCvSharp's
    // VideoCaptureProperties enum does not name them.
    private const int OpenTimeoutProperty = 53;
    private const int ReadTimeoutProperty = 54;

    private static readonly Lazy<bool> LazyHasGStreamer = new(() => Cv2.GetBuildInformation()
        .Split('\n')
        .Any(line => line.TrimStart().StartsWith("GStreamer:", StringComparison.OrdinalIgnoreCase) && line.Contains("YES", StringComparison.Ordinal)));

    private static int TimeoutMilliseconds(TimeSpan timeout) => timeout > TimeSpan.Zero
        ? (int)Math.Min(int.MaxValue, Math.Ceiling(timeout.TotalMilliseconds))
        : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive");

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        if (!_capture.Read(frame) || frame.Empty())
        {
            stamp = default;
            return false;
        }
        long index = _next++;
        double seconds = IsLive ? _clock.Stamp(index) : index / Fps;
        stamp = new FrameStamp(index, seconds);
        return true;
    }

    public void Dispose() => _capture.Dispose();

    private static VideoCaptureSource Checked(VideoCapture capture, string name, FrameSourceKind kind, string reason)
    {
        if (!capture.IsOpened() || capture.FrameWidth <= 0 || capture.FrameHeight <= 0)
        {
            capture.Dispose();
            string what = kind == FrameSourceKind.VideoFile ? "video" : "source";
            throw new EdgeException($"cannot open {what} '{name}': {reason}");
        }
        return new VideoCaptureSource(capture, name, kind);
    }
}
