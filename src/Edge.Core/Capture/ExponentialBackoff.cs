namespace Edge.Capture;

/// <summary>Delays between reconnect attempts: attempt <i>k</i> (0-based) waits
/// <c>min(Max, Initial · Multiplier^k)</c> scaled by a uniform factor in <c>[1 − Jitter, 1 + Jitter]</c> and capped at
/// <c>Max</c> again ("exponential backoff with jitter", as in AWS's architecture note "Exponential Backoff and
/// Jitter", 2015, and gRPC's connection-backoff spec). <see cref="Reset"/> after a success starts over.
/// Pure: the random draw is injected, so tests are deterministic. Not thread-safe (one per source).</summary>
public sealed class ExponentialBackoff
{
    private readonly BackoffOptions _options;
    private readonly Func<double> _uniform;

    /// <param name="uniform">Returns a number in [0, 1); default <see cref="Random.Shared"/>.</param>
    public ExponentialBackoff(BackoffOptions options, Func<double>? uniform = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _uniform = uniform ?? Random.Shared.NextDouble;
    }

    /// <summary>Delays handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The delay before the next attempt; advances <see cref="Attempt"/>.</summary>
    public TimeSpan NextDelay()
    {
        double max = _options.Max.TotalMilliseconds;
        // Math.Pow overflows to +inf for large attempts; Min keeps it at the cap.
        double nominal = Math.Min(max, _options.Initial.TotalMilliseconds * Math.Pow(_options.Multiplier, Attempt));
        double u = _uniform();
        if (!(u is >= 0 and < 1))
        {
            throw new InvalidOperationException($"uniform source returned {u}, expected a value in [0, 1)");
        }
        double factor = 1 + (_options.Jitter * ((2 * u) - 1));
        Attempt++;
        return TimeSpan.FromMilliseconds(Math.Min(max, nominal * factor));
    }

    public void Reset() => Attempt = 0;
}
