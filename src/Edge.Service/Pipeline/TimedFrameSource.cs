using System.Diagnostics;
using Edge.Capture;
using Edge.Service.Metrics;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Times every read of the wrapped source into the <c>capture</c> latency histogram and remembers when the
/// last frame arrived (the capture health check). The pipeline's decode thread is the only caller.</summary>
public sealed class TimedFrameSource(IFrameSource inner, Histogram latency) : IFrameSource
{
    private long _lastFrameTimestamp;

    public IFrameSource Inner => inner;
    public string Name => inner.Name;
    public int Width => inner.Width;
    public int Height => inner.Height;
    public double Fps => inner.Fps;
    public int? FrameCount => inner.FrameCount;
    public bool IsLive => inner.IsLive;

    /// <summary>Frames read since creation.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    private long _frames;

    /// <summary><see cref="Stopwatch"/> timestamp of the last successful read (0 before the first).</summary>
    public long LastFrameTimestamp => Interlocked.Read(ref _lastFrameTimestamp);

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        long t0 = Stopwatch.GetTimestamp();
        bool ok = inner.TryRead(frame, out stamp);
        long t1 = Stopwatch.GetTimestamp();
        if (ok)
        {
            latency.Observe(Stopwatch.GetElapsedTime(t0, t1));
            Interlocked.Exchange(ref _lastFrameTimestamp, t1);
            Interlocked.Increment(ref _frames);
        }
        return ok;
    }

    public void Dispose() => inner.Dispose();
}
