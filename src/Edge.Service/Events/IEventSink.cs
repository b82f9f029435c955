namespace Edge.Service.Events;

/// <summary>Receives pipeline events. <see cref="Publish"/> is called on the pipeline thread and must not block
/// on I/O for long: network sinks queue, file sinks append a line.</summary>
public interface IEventSink
{
    void Publish(EdgeEvent e);
}
