namespace Edge.Service.Metrics;

/// <summary>A value that goes up and down. Stored as the bits of a double so Set is one Interlocked.Exchange
/// and Add a compare-exchange loop; no lock, no allocation.</summary>
public sealed class Gauge : MetricSeries
{
    private long _bits;

    internal Gauge(string labels) : base(labels) { }

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double delta)
    {
        long seen = Interlocked.Read(ref _bits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
            long actual = Interlocked.CompareExchange(ref _bits, next, seen);
            if (actual == seen)
            {
                return;
            }
            seen = actual;
        }
    }

    internal override void WriteSamples(TextWriter w, string name) => WriteSample(w, name, Labels, Value);
}

/// <summary>A gauge or counter read from a callback at scrape time (e.g. a queue length owned elsewhere).</summary>
public sealed class ObservedValue : MetricSeries
{
    private readonly Func<double> _read;

    internal ObservedValue(string labels, Func<double> read) : base(labels) => _read = read;

    internal override void WriteSamples(TextWriter w, string name) => WriteSample(w, name, Labels, _read());
}
