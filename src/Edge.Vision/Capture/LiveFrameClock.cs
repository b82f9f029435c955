using System.Diagnostics;

namespace Edge.Capture;

/// <summary>Timestamps of live frames: wall-clock seconds since frame 0 was read (a camera or stream has no
/// meaningful container time). Shared by every source that reads live frames.</summary>
internal sealed class LiveFrameClock
{
    private long _start;

    /// <summary>Seconds since frame 0 for the frame with <paramref name="index"/> read now; index 0 restarts the clock.</summary>
    public double Stamp(long index)
    {
        long now = Stopwatch.GetTimestamp();
        if (index == 0)
        {
            _start = now;
        }
        return Stopwatch.GetElapsedTime(_start, now).TotalSeconds;
    }
}
