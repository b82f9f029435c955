using System.Diagnostics;

namespace Edge.Pipeline;

/// <summary>Frames per second as an exponential moving average of inter-frame intervals (α = 0.1, about the last
/// ten frames), so the overlay and progress bar read steadily.</summary>
public sealed class FpsMeter(long startTimestamp)
{
    private const double Alpha = 0.1;
    private long _last = startTimestamp;
    private double _meanSeconds;

    public double Fps => _meanSeconds > 0 ? 1 / _meanSeconds : 0;

    public double Tick(long timestamp)
    {
        double dt = Stopwatch.GetElapsedTime(_last, timestamp).TotalSeconds;
        _last = timestamp;
        _meanSeconds = _meanSeconds == 0 ? dt : _meanSeconds + (Alpha * (dt - _meanSeconds));
        return Fps;
    }
}
