namespace Edge.Capture;

/// <summary>Settings of <see cref="ExponentialBackoff"/>: the first delay, the growth factor, the cap and the jitter.
/// The defaults retry a dropped camera after 0.5 s, then 1, 2, 4, 8, 10, 10 ... s (±20 %).</summary>
public sealed record BackoffOptions
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of the delay before jitter is applied; the jittered delay never exceeds it either.</summary>
    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(10);

    public double Multiplier { get; init; } = 2;

    /// <summary>Fraction of the delay drawn at random on either side (0.2: uniformly in [0.8 d, 1.2 d], capped at
    /// <see cref="Max"/>), so many cameras that dropped together do not reconnect in lock step.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Initial), Initial, "must be positive");
        }
        if (Max < Initial)
        {
            throw new ArgumentOutOfRangeException(nameof(Max), Max, $"must be at least {nameof(Initial)} ({Initial})");
        }
        if (!(Multiplier >= 1) || !double.IsFinite(Multiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(Multiplier), Multiplier, "must be a finite number >= 1");
        }
        if (!(Jitter is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "must be in [0, 1)");
        }
    }
}
