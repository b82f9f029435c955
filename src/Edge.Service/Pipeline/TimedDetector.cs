using System.Diagnostics;
using Edge.Detection;
using Edge.Models;
using Edge.Service.Metrics;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Feeds the detector's three stage timings into the <c>preprocess</c>, <c>infer</c> and
/// <c>postprocess</c> histograms. Each stage runs on its own pipeline thread; histograms are lock-free, so the
/// wrapper adds two timestamps per call and nothing else. It does not own the detector.</summary>
public sealed class TimedDetector(IObjectDetector inner, EdgeMetrics metrics) : IObjectDetector
{
    private readonly Histogram _preprocess = metrics.Latency("preprocess");
    private readonly Histogram _infer = metrics.Latency("infer");
    private readonly Histogram _postprocess = metrics.Latency("postprocess");

    public ModelInfo Model => inner.Model;
    public string ExecutionProvider => inner.ExecutionProvider;

    public DetectorSlot CreateSlot() => inner.CreateSlot();

    public void Preprocess(Mat bgrFrame, DetectorSlot slot)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.Preprocess(bgrFrame, slot);
        _preprocess.Observe(Stopwatch.GetElapsedTime(t0));
    }

    public void Infer(DetectorSlot slot)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.Infer(slot);
        _infer.Observe(Stopwatch.GetElapsedTime(t0));
    }

    public void Postprocess(DetectorSlot slot, List<Edge.Detection.Detection> results)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.Postprocess(slot, results);
        _postprocess.Observe(Stopwatch.GetElapsedTime(t0));
    }

    /// <summary>The wrapped detector belongs to the worker, which disposes it after the run.</summary>
    public void Dispose()
    {
    }
}
