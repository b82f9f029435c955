using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Service.Mqtt;

/// <summary>Publishes events as JSON to <c>&lt;prefix&gt;/&lt;device&gt;/&lt;kind&gt;</c> with QoS 1 (at least once:
/// consumers may see a duplicate after a reconnect and can drop it by <c>seq</c>).
/// <see cref="Publish"/> only enqueues into a bounded drop-oldest queue; one background loop connects, drains
/// the queue in order and reconnects with capped exponential backoff when the broker goes away.
/// Presence: a retained <c>status</c> message "online" on every connect (carrying the drop count so far), a last
/// will "offline"/"connection lost" for crashes, and an explicit retained "offline"/"shutdown" on stop.</summary>
public sealed class MqttPublisher : IEventSink, IHostedService, IAsyncDisposable
{
    public const string HealthComponent = "mqtt";

    private readonly MqttOptions _options;
    private readonly ILogger _logger;
    private readonly HealthRegistry? _health;
    private readonly DropOldestQueue<EdgeEvent> _queue;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly string _topicPrefix;
    private readonly CancellationTokenSource _stop = new();
    private readonly EdgeEvent[] _batchItems;
    private readonly long[] _batchTickets;
    private readonly Task[] _batchTasks;
    private Task? _loop;
    private long _published;
    private long _connects;
    private long _connectFailures;
    private int _warnedFull;
    // Touched by the connection loop only.
    private bool _connected;
    private long _outageFailures;
    private long _lastFailureLog;
    private int _stopped;
    private int _connecting;

    public MqttPublisher(IOptions<MqttOptions> options, ILogger<MqttPublisher>? logger = null, HealthRegistry? health = null)
    {
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _health = health;
        _queue = new DropOldestQueue<EdgeEvent>(_options.QueueCapacity);
        _batchItems = new EdgeEvent[_options.MaxInFlight];
        _batchTickets = new long[_options.MaxInFlight];
        _batchTasks = new Task[_options.MaxInFlight];
        _topicPrefix = $"{_options.TopicPrefix}/{_options.DeviceId}/";
        StatusTopic = _topicPrefix + EdgeEventKind.Status.WireName();
        _client = new MqttClientFactory().CreateMqttClient();

        var will = JsonSerializer.SerializeToUtf8Bytes(EdgeEvent.Status("offline", "connection lost"), EdgeJsonContext.Default.EdgeEvent);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(string.IsNullOrEmpty(_options.ClientId) ? $"edge-{_options.DeviceId}" : _options.ClientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(_options.OperationTimeoutSeconds))
            .WithWillTopic(StatusTopic)
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password);
        }
        _clientOptions = builder.Build();
        _health?.Report(HealthComponent, HealthStatus.Degraded, "not connected yet");
    }

    public string StatusTopic { get; }

    public string TopicFor(EdgeEventKind kind) => _topicPrefix + kind.WireName();

    public MqttPublisherStats Stats
    {
        get
        {
            long connects = Interlocked.Read(ref _connects);
            return new MqttPublisherStats(
                Interlocked.Read(ref _published), _queue.Count, _queue.Dropped, _client.IsConnected,
                Math.Max(0, connects - 1), Interlocked.Read(ref _connectFailures));
        }
    }

    /// <summary>Queues the event; never blocks on the network. When the queue is full the oldest event is dropped.</summary>
    public void Publish(EdgeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Once per outage (reset on connect), not once per process.
        if (_queue.Enqueue(e) && Interlocked.Exchange(ref _warnedFull, 1) == 0)
        {
            _logger.LogWarning("MQTT queue full ({Capacity}); dropping the oldest events until the broker is back.", _queue.Capacity);
        }
        _wake.Writer.TryWrite(true);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            // The first connection attempt counts as under way from here, so a stop before the loop runs still waits.
            Volatile.Write(ref _connecting, 1);
            _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Drains the queue for up to <see cref="MqttOptions.DrainSeconds"/> (or until
    /// <paramref name="cancellationToken"/>), then publishes the retained "offline" status and disconnects cleanly.
    /// It waits while connected or while a connection attempt is under way (a stop right after start comes before the
    /// first CONNACK), but not for a broker that refused or timed out: that one gets no drain time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        var drainUntil = DateTime.UtcNow + TimeSpan.FromSeconds(_options.DrainSeconds);
        while (_loop is not null && _queue.Count > 0 && (_client.IsConnected || Volatile.Read(ref _connecting) != 0)
            && DateTime.UtcNow < drainUntil && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        int left = _queue.Count;
        if (left > 0)
        {
            _logger.LogWarning("MQTT: {Count} queued events were not delivered before shutdown.", left);
        }
        if (_client.IsConnected)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(_options.OperationTimeoutSeconds));
                var status = EdgeEvent.Status("offline", "shutdown", _queue.Dropped + left);
                await PublishNowAsync(status, timeout.Token).ConfigureAwait(false);
                // A normal DISCONNECT makes the broker discard the last will (MQTT 3.1.1 section 3.14.4).
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning(ex, "MQTT: final status not published.");
            }
        }
        _health?.Report(HealthComponent, HealthStatus.Degraded, "stopped");
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var initial = TimeSpan.FromSeconds(_options.ReconnectInitialSeconds);
        var max = TimeSpan.FromSeconds(_options.ReconnectMaxSeconds);
        var backoff = initial;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    if (_connected)
                    {
                        _connected = false;
                        _logger.LogWarning("MQTT connection to {Host}:{Port} lost; {Buffered} events buffered, reconnecting", _options.Host, _options.Port, _queue.Count);
                        _health?.Report(HealthComponent, HealthStatus.Degraded, $"connection to {_options.Host}:{_options.Port} lost; {_queue.Count} buffered");
                    }
                    if (!await TryConnectAsync(ct).ConfigureAwait(false))
                    {
                        await Task.Delay(backoff, ct).ConfigureAwait(false);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, max.Ticks));
                        continue;
                    }
                    backoff = initial;
                }
                if (!await DrainAsync(ct).ConfigureAwait(false))
                {
                    continue;
                }
                // Idle: wake on the next event, or after a second to notice a lost connection and reconnect.
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await _wake.Reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping: MQTTnet reports a cancelled wait as MqttCommunicationTimedOutException, not OCE.
                return;
            }
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken ct)
    {
        Volatile.Write(ref _connecting, 1);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.OperationTimeoutSeconds));
            await _client.ConnectAsync(_clientOptions, timeout.Token).ConfigureAwait(false);
            long n = Interlocked.Increment(ref _connects);
            _connected = true;
            _outageFailures = 0;
            Volatile.Write(ref _warnedFull, 0);
            _logger.LogInformation("MQTT connected to {Host}:{Port} (connection {N}).", _options.Host, _options.Port, n);
            await PublishNowAsync(EdgeEvent.Status("online", n == 1 ? "started" : "reconnected", _queue.Dropped), timeout.Token).ConfigureAwait(false);
            _health?.Report(HealthComponent, HealthStatus.Healthy, $"connected to {_options.Host}:{_options.Port}");
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _connectFailures);
            // The first failure of each outage, then at most once a minute: a count-based throttle went quiet for
            // minutes once the backoff reached its cap.
            string reason = ex.GetBaseException().Message; // "Connection refused", not MQTTnet's "Error while connecting host"
            long now = Stopwatch.GetTimestamp();
            if (_outageFailures++ == 0 || Stopwatch.GetElapsedTime(_lastFailureLog, now) >= TimeSpan.FromMinutes(1))
            {
                _lastFailureLog = now;
                _logger.LogWarning("MQTT connect to {Host}:{Port} failed ({Failures} times in this outage): {Reason}", _options.Host, _options.Port, _outageFailures, reason);
            }
            _health?.Report(HealthComponent, HealthStatus.Degraded,
                $"broker {_options.Host}:{_options.Port} unreachable: {reason}; {_queue.Count} buffered, {_queue.Dropped} dropped");
            await DisconnectQuietlyAsync().ConfigureAwait(false);
            return false;
        }
        finally
        {
            Volatile.Write(ref _connecting, 0);
        }
    }

    /// <summary>Publishes queued events in order, up to <see cref="MqttOptions.MaxInFlight"/> awaiting their PUBACK at
    /// once: one-at-a-time QoS 1 is bound by the round trip, and against a broker with Nagle's algorithm on
    /// (mosquitto's default, set_tcp_nodelay false) that round trip includes the peer's delayed ACK (~40 ms).
    /// The client sends in call order and the broker forwards in receive order (MQTT 3.1.1 section 4.6), so order
    /// is kept. Returns false when a publish failed; it and everything after it stay queued.</summary>
    private async Task<bool> DrainAsync(CancellationToken ct)
    {
        var items = _batchItems;
        var tickets = _batchTickets;
        var pending = _batchTasks;
        while (true)
        {
            int n = _queue.PeekMany(items, tickets);
            if (n == 0)
            {
                return true;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.OperationTimeoutSeconds));
            for (int i = 0; i < n; i++)
            {
                pending[i] = PublishNowAsync(items[i], timeout.Token);
            }
            Exception? failure = null;
            for (int i = 0; i < n; i++)
            {
                try
                {
                    await pending[i].ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    failure ??= ex;
                    continue;
                }
                if (failure is null && _queue.RemoveIfHead(tickets[i]))
                {
                    Interlocked.Increment(ref _published);
                }
            }
            Array.Clear(items, 0, n);
            Array.Clear(pending, 0, n);
            if (failure is not null)
            {
                if (!ct.IsCancellationRequested)
                {
                    _logger.LogWarning("MQTT publish failed, will reconnect: {Message}", failure.Message);
                    _health?.Report(HealthComponent, HealthStatus.Degraded, $"publish failed: {failure.Message}; {_queue.Count} buffered");
                    await DisconnectQuietlyAsync().ConfigureAwait(false);
                }
                return false;
            }
        }
    }

    private async Task PublishNowAsync(EdgeEvent e, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(TopicFor(e.Kind))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(e, EdgeJsonContext.Default.EdgeEvent))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(e.Kind == EdgeEventKind.Status)
            .WithContentType("application/json")
            .Build();
        var result = await _client.PublishAsync(message, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            // Only MQTT 5 brokers return failure reasons (e.g. not authorised): retrying would loop forever.
            _logger.LogWarning("MQTT broker refused {Topic}: {Reason}", message.Topic, result.ReasonCode);
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogDebug("MQTT disconnect after failure: {Message}", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
    }
}
