using Edge.Capture;

namespace Edge.Pipeline;

/// <summary>How many source frames each processed frame advances (<see cref="FrameResult.FrameStep"/>): the index
/// difference counts frames dropped by newest-frame mode; the time difference also counts the frames a live source
/// never delivered while it was down (its indices count frames read, not frames missed).</summary>
internal sealed class FrameStepCounter
{
    private bool _started;
    private FrameStamp _previous;

    /// <param name="fps">The source's frame rate now (a reconnecting source learns it when it opens).</param>
    public int Next(FrameStamp stamp, double fps)
    {
        int step = 1;
        if (_started)
        {
            long byIndex = stamp.Index - _previous.Index;
            // Floored: a live frame read up to a frame period late is still one step.
            double byTime = fps > 0 ? Math.Floor(((stamp.Seconds - _previous.Seconds) * fps) + 1e-6) : 0;
            step = (int)Math.Clamp(Math.Max(byIndex, byTime), 1, int.MaxValue);
        }
        _started = true;
        _previous = stamp;
        return step;
    }
}
