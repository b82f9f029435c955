namespace Edge.Pipeline;

/// <summary>Delivery counters of one sink, readable from any thread while the pipeline runs.</summary>
public sealed class SinkStatistics(string name)
{
    private long _delivered;
    private long _dropped;

    /// <summary>The sink's type name.</summary>
    public string Name { get; } = name;

    /// <summary>Frames the sink processed.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Frames the sink never saw because its queue was full (only with <see cref="SinkOverflow.Drop"/>).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void RecordDelivered() => Interlocked.Increment(ref _delivered);

    internal void RecordDropped() => Interlocked.Increment(ref _dropped);
}
