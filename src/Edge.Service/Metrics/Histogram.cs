namespace Edge.Service.Metrics;

/// <summary>A histogram with fixed upper bounds. <see cref="Observe"/> finds the bucket by a linear scan (a
/// dozen bounds beat a binary search) and does two interlocked updates: no lock, no allocation. Buckets are
/// stored per bucket and made cumulative at scrape time; _count is the +Inf bucket, so the two always agree.</summary>
public sealed class Histogram : MetricSeries
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumBits;

    internal Histogram(string labels, double[] bounds) : base(labels)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    public ReadOnlySpan<double> Bounds => _bounds;

    public long Count
    {
        get
        {
            long n = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                n += Interlocked.Read(ref _counts[i]);
            }
            return n;
        }
    }

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));

    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }
        int i = 0;
        while (i < _bounds.Length && value > _bounds[i])
        {
            i++;
        }
        Interlocked.Increment(ref _counts[i]);
        long seen = Interlocked.Read(ref _sumBits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            long actual = Interlocked.CompareExchange(ref _sumBits, next, seen);
            if (actual == seen)
            {
                return;
            }
            seen = actual;
        }
    }

    /// <summary>Observes an elapsed <see cref="TimeSpan"/> in seconds (the Prometheus base unit).</summary>
    public void Observe(TimeSpan elapsed) => Observe(elapsed.TotalSeconds);

    internal override void WriteSamples(TextWriter w, string name)
    {
        long cumulative = 0;
        string sep = Labels.Length == 0 ? "" : ",";
        for (int i = 0; i < _counts.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            string le = i < _bounds.Length ? FormatValue(_bounds[i]) : "+Inf";
            w.Write(name);
            w.Write("_bucket{");
            w.Write(Labels);
            w.Write(sep);
            w.Write("le=\"");
            w.Write(le);
            w.Write("\"} ");
            w.Write(cumulative.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.Write('\n');
        }
        WriteSample(w, name + "_sum", Labels, Sum);
        WriteSample(w, name + "_count", Labels, cumulative);
    }
}
