namespace Edge.Service.Metrics;

/// <summary>A monotonically increasing count. Interlocked add: no lock, no allocation.</summary>
public sealed class Counter : MetricSeries
{
    private long _value;

    internal Counter(string labels) : base(labels) { }

    public long Value => Interlocked.Read(ref _value);

    public void Inc() => Interlocked.Increment(ref _value);

    public void Inc(long by)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by);
        Interlocked.Add(ref _value, by);
    }

    internal override void WriteSamples(TextWriter w, string name) => WriteSample(w, name, Labels, Value);
}
