using System.Diagnostics;
using Edge.Pipeline;
using Edge.Service.Metrics;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Times each <see cref="IFrameSink.OnFrame"/> of one service sink into the shared <c>sinks</c> histogram.
/// Each sink is a separate pipeline sink, so in live runs it has its own queue and drops (counted per sink) instead
/// of stalling the others.</summary>
public sealed class TimedSink(IFrameSink inner, Histogram latency) : IFrameSink
{
    public IFrameSink Inner => inner;

    /// <summary>Short label of a sink for <c>edge_dropped_frames_total{stage="sink:&lt;name&gt;"}</c>:
    /// <c>JsonlDetectionSink</c> → <c>jsonl_detection</c>.</summary>
    public static string NameOf(IFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        string type = sink.GetType().Name;
        if (type.EndsWith("Sink", StringComparison.Ordinal) && type.Length > 4)
        {
            type = type[..^4];
        }
        var name = new System.Text.StringBuilder(type.Length + 4);
        for (int i = 0; i < type.Length; i++)
        {
            char c = type[i];
            if (char.IsUpper(c) && i > 0)
            {
                name.Append('_');
            }
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }

    public void OnFrame(FrameResult result, Mat frame)
    {
        long t0 = Stopwatch.GetTimestamp();
        inner.OnFrame(result, frame);
        latency.Observe(Stopwatch.GetElapsedTime(t0));
    }

    public void Complete() => inner.Complete();

    public void Dispose() => inner.Dispose();
}
