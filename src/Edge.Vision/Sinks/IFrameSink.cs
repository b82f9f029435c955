using Edge.Pipeline;
using OpenCvSharp;

namespace Edge.Sinks;

/// <summary>Receives every processed frame, in order, on the pipeline's output thread. A sink may draw on
/// <paramref name="frame"/> (sinks run in registration order, so put pixel-reading sinks before drawing ones) but
/// must not keep it or <paramref name="result"/> after the call: both are pooled.</summary>
public interface IFrameSink : IDisposable
{
    void OnFrame(FrameResult result, Mat frame);

    /// <summary>Flushes and closes the output. Called once when the run ends, also on cancellation or failure.</summary>
    void Complete();
}
