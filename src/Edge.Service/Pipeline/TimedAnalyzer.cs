using System.Diagnostics;
using Edge.Pipeline;
using Edge.Service.Metrics;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Times an analyzer (tracking, Follow Me) into its stage histogram.</summary>
public sealed class TimedAnalyzer(IFrameAnalyzer inner, Histogram latency) : IFrameAnalyzer
{
    public void Analyze(FrameResult result, Mat frame)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.Analyze(result, frame);
        latency.Observe(Stopwatch.GetElapsedTime(t0));
    }
}
