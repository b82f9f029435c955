using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Edge.Service.Events;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Service.Tests.Fixtures;

/// <summary>An independent MQTT client that records everything it receives on a topic filter.</summary>
public sealed class MqttTestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _filter;

    private MqttTestSubscriber(int port, string filter, string clientId, bool persistentSession)
    {
        _filter = filter;
        _options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithCleanSession(!persistentSession)
            // MQTTnet speaks MQTT 5, where a session expires when the connection closes unless this interval says
            // otherwise (section 3.1.2.11.2): clean session off alone does not survive a broker restart.
            .WithSessionExpiryInterval(persistentSession ? 3600u : 0u)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            Received.Enqueue(new ReceivedMessage(m.Topic, m.Payload.ToArray(), m.Retain));
            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<ReceivedMessage> Received { get; } = new();

    public bool IsConnected => _client.IsConnected;

    /// <summary>The last CONNACK's session-present flag: whether the broker resumed a persistent session.</summary>
    public bool SessionPresent { get; private set; }

    public static async Task<MqttTestSubscriber> ConnectAsync(int port, string filter, string? clientId = null, bool persistentSession = false)
    {
        var s = new MqttTestSubscriber(port, filter, clientId ?? "test-sub-" + Guid.NewGuid().ToString("N")[..8], persistentSession);
        await s.ReconnectAsync();
        return s;
    }

    /// <summary>Connects (retrying for up to 10 s) and subscribes with QoS 1.</summary>
    public async Task ReconnectAsync()
    {
        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                if (!_client.IsConnected)
                {
                    SessionPresent = (await _client.ConnectAsync(_options)).IsSessionPresent;
                }
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "test subscriber connects");
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(_filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await _client.SubscribeAsync(subscribe);
    }

    public IReadOnlyList<(string Topic, EdgeEvent Event)> Events() =>
        [.. Received.Select(m => (m.Topic, JsonSerializer.Deserialize(m.Payload, EdgeJsonContext.Default.EdgeEvent)!))];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (Exception)
        {
        }
        _client.Dispose();
    }
}

public sealed record ReceivedMessage(string Topic, byte[] Payload, bool Retain);
