using Edge.Detection;
using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>One in-flight frame: its pixels, its detector slot, its result and the stage timings so far.
/// A fixed number are created per run and cycle through the stages.</summary>
internal sealed class PipelineFrame(DetectorSlot slot) : IDisposable
{
    /// <summary>Swapped with a captured frame's Mat in live mode (no copy).</summary>
    public Mat Image { get; set; } = new();

    public DetectorSlot Slot { get; } = slot;

    public FrameResult Result { get; } = new();

    public double PreprocessMs { get; set; }

    public double InferenceMs { get; set; }

    public void Dispose()
    {
        Image.Dispose();
        Slot.Dispose();
    }
}
