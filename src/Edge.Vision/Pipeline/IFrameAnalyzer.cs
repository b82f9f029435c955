using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>A step after detection (tracking, Follow Me, counting...). Analyzers run in registration order on the
/// postprocess thread, one frame at a time in frame order, so they may keep state between frames without locks.</summary>
public interface IFrameAnalyzer
{
    /// <summary>Reads and extends <paramref name="result"/>; <paramref name="frame"/> is the decoded BGR frame
    /// (read only: sinks see it afterwards).</summary>
    void Analyze(FrameResult result, Mat frame);
}
