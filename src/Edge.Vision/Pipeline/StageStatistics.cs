namespace Edge.Pipeline;

/// <summary>Latency samples of one stage in milliseconds. Storage is allocated once: when more samples arrive than
/// the capacity, reservoir sampling (Vitter's Algorithm R) keeps a uniform sample for the percentiles while the mean
/// stays exact. Written by one thread; read after the run.</summary>
public sealed class StageStatistics
{
    private readonly double[] _samples;
    private double _sum;
    private ulong _random = 0x9E3779B97F4A7C15UL;

    public StageStatistics(string name, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Name = name;
        _samples = new double[capacity];
    }

    public string Name { get; }

    /// <summary>Number of samples recorded (may exceed the capacity).</summary>
    public long Count { get; private set; }

    public double Mean => Count == 0 ? double.NaN : _sum / Count;

    public double Max { get; private set; }

    public double P50 => Percentile(50);

    public double P95 => Percentile(95);

    public void Record(double milliseconds)
    {
        long n = Count++;
        _sum += milliseconds;
        if (milliseconds > Max)
        {
            Max = milliseconds;
        }
        if (n < _samples.Length)
        {
            _samples[n] = milliseconds;
            return;
        }
        // Algorithm R: sample n (0-based) replaces a random slot with probability capacity / (n + 1).
        ulong j = NextRandom() % (ulong)(n + 1);
        if (j < (ulong)_samples.Length)
        {
            _samples[j] = milliseconds;
        }
    }

    /// <summary>Linear-interpolated percentile (the "R-7" / NumPy default definition) of the kept samples;
    /// NaN when empty. Sorts a copy, so call it after the run, not per frame.</summary>
    public double Percentile(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        int kept = (int)Math.Min(Count, _samples.Length);
        if (kept == 0)
        {
            return double.NaN;
        }
        double[] sorted = _samples[..kept];
        Array.Sort(sorted);
        double rank = percent / 100 * (kept - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, kept - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }

    public void Reset()
    {
        Count = 0;
        _sum = 0;
        Max = 0;
    }

    private ulong NextRandom()
    {
        // xorshift64: allocation-free and good enough to pick reservoir slots.
        _random ^= _random << 13;
        _random ^= _random >> 7;
        _random ^= _random << 17;
        return _random;
    }
}
