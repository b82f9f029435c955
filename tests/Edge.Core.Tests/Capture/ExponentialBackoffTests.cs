using Edge.Capture;

namespace Edge.Tests.Capture;

public class ExponentialBackoffTests
{
    private static readonly BackoffOptions Options = new()
    {
        Initial = TimeSpan.FromMilliseconds(100),
        Max = TimeSpan.FromMilliseconds(1000),
        Multiplier = 2,
        Jitter = 0.25,
    };

    [Fact]
    public void WithoutJitterTheDelaysDoubleUpToTheCap()
    {
        // u = 0.5 puts the jitter factor at exactly 1.
        var backoff = new ExponentialBackoff(Options, () => 0.5);
        double[] delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay().TotalMilliseconds).ToArray();
        Assert.Equal([100, 200, 400, 800, 1000, 1000, 1000], delays);
        Assert.Equal(7, backoff.Attempt);
    }

    [Fact]
    public void JitterSpansPlusMinusTheFractionAndNeverExceedsTheCap()
    {
        // Lowest draw: 100 * (1 - 0.25); highest draw at attempt 0: 100 * (1 + 0.25 * (2u - 1)).
        Assert.Equal(75, new ExponentialBackoff(Options, () => 0).NextDelay().TotalMilliseconds, 9);
        Assert.Equal(100 * (1 + (0.25 * ((2 * 0.9) - 1))), new ExponentialBackoff(Options, () => 0.9).NextDelay().TotalMilliseconds, 9);

        // At the cap the upper half of the jitter is cut: 1000 * 1.2 -> 1000, while 1000 * 0.8 stays.
        var high = new ExponentialBackoff(Options, () => 0.9);
        var low = new ExponentialBackoff(Options, () => 0.1);
        TimeSpan lastHigh = default, lastLow = default;
        for (int i = 0; i < 10; i++)
        {
            lastHigh = high.NextDelay();
            lastLow = low.NextDelay();
        }
        Assert.Equal(1000, lastHigh.TotalMilliseconds, 9);
        Assert.Equal(1000 * (1 + (0.25 * ((2 * 0.1) - 1))), lastLow.TotalMilliseconds, 9);
    }

    [Fact]
    public void ResetStartsOver()
    {
        var backoff = new ExponentialBackoff(Options, () => 0.5);
        backoff.NextDelay();
        backoff.NextDelay();
        Assert.Equal(400, backoff.NextDelay().TotalMilliseconds);
        backoff.Reset();
        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(100, backoff.NextDelay().TotalMilliseconds);
    }

    [Fact]
    public void ManyAttemptsStayAtTheCapWithoutOverflow()
    {
        var backoff = new ExponentialBackoff(Options with { Jitter = 0 }, () => 0.3);
        TimeSpan last = default;
        for (int i = 0; i < 5000; i++)
        {
            last = backoff.NextDelay();
        }
        Assert.Equal(TimeSpan.FromMilliseconds(1000), last);
    }

    [Fact]
    public void SeededRandomDrawsStayInsideTheJitterBand()
    {
        var random = new Random(42);
        var backoff = new ExponentialBackoff(Options, random.NextDouble);
        double nominal = 100;
        for (int i = 0; i < 8; i++)
        {
            double d = backoff.NextDelay().TotalMilliseconds;
            Assert.InRange(d, nominal * 0.75, Math.Min(1000, nominal * 1.25));
            nominal = Math.Min(1000, nominal * 2);
        }
    }

    [Theory]
    [InlineData(0, 1000, 2, 0.2, "Initial")]
    [InlineData(100, 50, 2, 0.2, "Max")]
    [InlineData(100, 1000, 0.5, 0.2, "Multiplier")]
    [InlineData(100, 1000, 2, 1.0, "Jitter")]
    public void InvalidOptionsNameTheSetting(int initialMs, int maxMs, double multiplier, double jitter, string name)
    {
        var options = new BackoffOptions
        {
            Initial = TimeSpan.FromMilliseconds(initialMs),
            Max = TimeSpan.FromMilliseconds(maxMs),
            Multiplier = multiplier,
            Jitter = jitter,
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(options));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void AUniformSourceOutsideTheUnitIntervalIsRejected()
    {
        var backoff = new ExponentialBackoff(Options, () => 1.0);
        Assert.Throws<InvalidOperationException>(() => backoff.NextDelay());
    }
}
