using System.Diagnostics;
using Edge.Capture;
using Edge.Service.Metrics;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Times every read of the wrapped source into the <c>capture</c> latency histogram. The pipeline's decode
/// thread is the only caller.</summary>
public sealed class TimedFrameSource(IFrameSource inner, Histogram latency) : IFrameSource
{
    public string Name => inner.Name;
    public int Width => inner.Width;
    public int Height => inner.Height;
    public double Fps => inner.Fps;
    public int? FrameCount => inner.FrameCount;
    public bool IsLive => inner.IsLive;

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        long t0 = Stopwatch.GetTimestamp();
        bool ok = inner.TryRead(frame, out stamp);
        if (ok)
        {
            latency.Observe(Stopwatch.GetElapsedTime(t0));
        }
        return ok;
    }

    public void Dispose() => inner.Dispose();
}
