namespace Edge.Capture;

/// <summary>Which decoder opens network URLs (rtsp, http, tcp, udp).</summary>
public enum StreamBackend
{
    /// <summary><see cref="Ffmpeg"/> when an ffmpeg executable is on PATH, else <see cref="OpenCv"/>.</summary>
    Auto,

    /// <summary>OpenCV's own FFmpeg backend (<see cref="VideoCaptureSource.OpenStream"/>); needs an OpenCV whose FFmpeg has
    /// network protocols (JetPack's does; the official OpenCvSharp linux-x64 runtime does not).</summary>
    OpenCv,

    /// <summary>An ffmpeg child process (<see cref="FfmpegProcessSource"/>) with hard open and read timeouts.</summary>
    Ffmpeg,
}
