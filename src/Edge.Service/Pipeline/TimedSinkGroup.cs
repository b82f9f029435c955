using System.Diagnostics;
using Edge.Pipeline;
using Edge.Service.Metrics;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>The service's sinks as one pipeline sink, in order, timed together into the <c>sinks</c> histogram.
/// <see cref="Complete"/> completes every sink even when one fails (each output is flushed and closed on SIGTERM)
/// and rethrows the first failure.</summary>
public sealed class TimedSinkGroup(IReadOnlyList<IFrameSink> sinks, Histogram latency) : IFrameSink
{
    public IReadOnlyList<IFrameSink> Sinks => sinks;

    public void OnFrame(FrameResult result, Mat frame)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < sinks.Count; i++)
        {
            sinks[i].OnFrame(result, frame);
        }
        latency.Observe(Stopwatch.GetElapsedTime(t0));
    }

    public void Complete()
    {
        Exception? first = null;
        foreach (var sink in sinks)
        {
            try
            {
                sink.Complete();
            }
            catch (Exception ex)
            {
                first ??= ex;
            }
        }
        if (first is not null)
        {
            throw first;
        }
    }

    public void Dispose()
    {
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }
    }
}
