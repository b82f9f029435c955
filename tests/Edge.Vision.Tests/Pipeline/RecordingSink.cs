using Edge.Pipeline;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Tests.Pipeline;

/// <summary>Copies what it sees, to check order and content.</summary>
internal sealed class RecordingSink : IFrameSink
{
    public List<(long Index, double Seconds, float Score, byte Pixel)> Frames { get; } = [];

    public int Completions { get; private set; }

    public Func<FrameResult, Exception?>? Fail { get; set; }

    public void OnFrame(FrameResult result, Mat frame)
    {
        if (Fail?.Invoke(result) is { } ex)
        {
            throw ex;
        }
        Frames.Add((result.FrameIndex, result.Seconds, result.Detections[0].Score, frame.At<Vec3b>(0, 0).Item0));
    }

    public void Complete() => Completions++;

    public void Dispose()
    {
    }
}
