using Edge.Pipeline;
using Edge.Service.Metrics;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Observes a stage an analyzer times itself (<see cref="FrameResult.EmbeddingMs"/> inside tracking,
/// <see cref="FrameResult.ClassificationMs"/> of the secondary classifier) into its histogram, on the frames where
/// that stage ran (non-zero time).</summary>
public sealed class CropStageMetrics(IFrameAnalyzer inner, Histogram latency, Func<FrameResult, double> milliseconds) : IFrameAnalyzer
{
    /// <summary>edge_stage_latency_seconds{stage="embed"} around the tracking step.</summary>
    public static CropStageMetrics Embed(IFrameAnalyzer tracking, EdgeMetrics metrics) =>
        new(tracking, metrics.Latency("embed"), static r => r.EmbeddingMs);

    /// <summary>edge_stage_latency_seconds{stage="classify"} around the classification step.</summary>
    public static CropStageMetrics Classify(IFrameAnalyzer classification, EdgeMetrics metrics) =>
        new(classification, metrics.Latency("classify"), static r => r.ClassificationMs);

    public void Analyze(FrameResult result, Mat frame)
    {
        inner.Analyze(result, frame);
        double ms = milliseconds(result);
        if (ms > 0)
        {
            latency.Observe(ms / 1000.0);
        }
    }
}
