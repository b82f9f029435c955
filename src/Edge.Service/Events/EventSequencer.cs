namespace Edge.Service.Events;

/// <summary>Stamps events with a per-process sequence number and fans them out to every sink, so JSONL and
/// MQTT carry the same numbers and a consumer can match them.</summary>
public sealed class EventSequencer(IEnumerable<IEventSink> sinks)
{
    private readonly IEventSink[] _sinks = [.. sinks];
    private long _seq;

    public long LastSequence => Interlocked.Read(ref _seq);

    public EdgeEvent Publish(EdgeEvent e)
    {
        var stamped = e with { Seq = Interlocked.Increment(ref _seq) };
        foreach (var sink in _sinks)
        {
            sink.Publish(stamped);
        }
        return stamped;
    }
}
