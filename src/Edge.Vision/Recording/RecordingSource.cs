using Edge.Capture;
using OpenCvSharp;

namespace Edge.Recording;

/// <summary>Replays a <see cref="FrameRecorder"/> recording: the frames from the video, each stamped with the index and
/// capture time the live run gave it (from the sidecar), so a replay numbers and times frames as the device did.</summary>
public sealed class RecordingSource : IFrameSource
{
    private readonly VideoCaptureSource _video;
    private readonly IReadOnlyList<FrameStamp> _stamps;
    private int _next;

    private RecordingSource(VideoCaptureSource video, IReadOnlyList<FrameStamp> stamps, double fps)
    {
        _video = video;
        _stamps = stamps;
        Fps = fps;
    }

    public string Name => _video.Name;

    public int Width => _video.Width;

    public int Height => _video.Height;

    /// <summary>The live source's frame rate, which <see cref="FrameRecorder"/> writes as the video's nominal rate. Not
    /// the rate of the recorded frames: a live run drops the frames it has no time for, and the sidecar's indices and
    /// times keep those gaps, so a replay advances trackers and Follow Me by the same frame steps as the live run.</summary>
    public double Fps { get; }

    public int? FrameCount => _stamps.Count;

    public bool IsLive => false;

    /// <summary>True when <paramref name="videoPath"/> has a timestamp sidecar beside it.</summary>
    public static bool IsRecording(string videoPath) => File.Exists(RecordingTimestamps.SidecarPath(videoPath));

    public static RecordingSource Open(string videoPath)
    {
        var stamps = RecordingTimestamps.Read(RecordingTimestamps.SidecarPath(videoPath));
        var video = VideoCaptureSource.OpenFile(videoPath);
        return new RecordingSource(video, stamps, video.Fps);
    }

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        if (_next >= _stamps.Count || !_video.TryRead(frame, out _))
        {
            stamp = default;
            return false;
        }
        stamp = _stamps[_next++];
        return true;
    }

    public void Dispose() => _video.Dispose();
}
