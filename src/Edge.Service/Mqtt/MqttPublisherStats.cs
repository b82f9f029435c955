namespace Edge.Service.Mqtt;

/// <summary>A snapshot of the publisher's counters.</summary>
/// <param name="Published">Events acknowledged by the broker (QoS 1 PUBACK).</param>
/// <param name="Buffered">Events waiting in the queue now.</param>
/// <param name="Dropped">Events dropped because the queue was full (oldest first).</param>
/// <param name="Connected">Whether the client is connected now.</param>
/// <param name="Reconnects">Successful connections after the first one.</param>
/// <param name="ConnectFailures">Failed connection attempts.</param>
public readonly record struct MqttPublisherStats(long Published, int Buffered, long Dropped, bool Connected, long Reconnects, long ConnectFailures);
