namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Mqtt</c>. Validated at start-up by <see cref="MqttOptionsValidator"/>.</summary>
public sealed class MqttOptions
{
    public const string Section = "Edge:Mqtt";

    public bool Enabled { get; set; } = true;
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;

    /// <summary>Topic level identifying this device: topics are <c>&lt;TopicPrefix&gt;/&lt;DeviceId&gt;/&lt;kind&gt;</c>.</summary>
    public string DeviceId { get; set; } = "edge";

    public string TopicPrefix { get; set; } = "edge";
    public string? ClientId { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Events held in memory while the broker is unreachable; the oldest are dropped (and counted) beyond it.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>QoS 1 publishes awaiting their acknowledgement at once (a sliding window over the queue head).</summary>
    public int MaxInFlight { get; set; } = 16;

    public double ReconnectInitialSeconds { get; set; } = 0.5;
    public double ReconnectMaxSeconds { get; set; } = 30;
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>Per-operation timeout (connect, publish acknowledgement).</summary>
    public double OperationTimeoutSeconds { get; set; } = 5;

    /// <summary>On shutdown, how long to keep draining the queue before publishing the final status.</summary>
    public double DrainSeconds { get; set; } = 3;
}
