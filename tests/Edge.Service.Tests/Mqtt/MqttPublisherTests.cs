using Edge.Geometry;
using Edge.Service.Events;
using Edge.Service.Mqtt;
using Edge.Service.Options;
using Edge.Service.Tests.Fixtures;
using Xunit.Abstractions;

namespace Edge.Service.Tests.Mqtt;

/// <summary>Against a real mosquitto on a loopback port.</summary>
public sealed class MqttPublisherTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static MqttPublisher CreatePublisher(int port, int capacity, RecordingLogger<MqttPublisher>? logger = null) => new(Microsoft.Extensions.Options.Options.Create(new MqttOptions
    {
        Port = port,
        DeviceId = "cam1",
        QueueCapacity = capacity,
        ReconnectInitialSeconds = 0.05,
        ReconnectMaxSeconds = 0.4,
        OperationTimeoutSeconds = 3,
        DrainSeconds = 5,
        ClientId = "edge-test-" + Guid.NewGuid().ToString("N")[..8],
    }), logger);

    private static EdgeEvent MakeEvent(int i) => (i % 4) switch
    {
        0 => EdgeEvent.TrackStarted(i, i, new BoxF(i, 2, i + 10, 40), 0.75f, "person"),
        1 => EdgeEvent.TrackEnded(i, i),
        2 => EdgeEvent.TargetLocked(i, i, new BoxF(1, 2, 3, 4)),
        _ => EdgeEvent.Follow(i, i, new FollowCommandPayload(-0.25f, 0.5f, true)),
    };

    private static long[] Seqs(MqttTestSubscriber sub) =>
        [.. sub.Events().Where(e => e.Event.Kind != EdgeEventKind.Status).Select(e => e.Event.Seq)];

    [Fact]
    public async Task EveryEventArrives_InOrder_OnItsKindTopic_AsJson()
    {
        using var broker = new MosquittoBroker();
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/cam1/#");
        await using var publisher = CreatePublisher(broker.Port, 1000);
        await publisher.StartAsync(default);
        await Eventually.WaitUntilAsync(() => publisher.Stats.Connected, Wait, "publisher connects");
        var sequencer = new EventSequencer([publisher]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sent = Enumerable.Range(1, 300).Select(i => sequencer.Publish(MakeEvent(i))).ToList();

        await Eventually.WaitUntilAsync(() => Seqs(sub).Length >= 300, Wait, "300 events at the subscriber");
        output.WriteLine($"300 QoS 1 events publisher -> mosquitto -> subscriber in {clock.ElapsedMilliseconds} ms");
        // The subscriber can see the last events before the publisher has processed their PUBACKs.
        await Eventually.WaitUntilAsync(() => publisher.Stats.Published == 300, Wait, "300 PUBACKs counted");

        var received = sub.Events().Where(e => e.Event.Kind != EdgeEventKind.Status).ToList();
        Assert.Equal(300, received.Count);
        // One connection, QoS 1: the broker keeps publish order (MQTT 3.1.1 section 4.6).
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), received.Select(r => r.Event.Seq));
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal($"edge/cam1/{sent[i].Kind.WireName()}", received[i].Topic);
            Assert.Equal(sent[i], received[i].Event);
        }
        var stats = publisher.Stats;
        Assert.Equal(300, stats.Published);
        Assert.Equal(0, stats.Dropped);
        Assert.Equal(0, stats.Buffered);
        Assert.True(stats.Connected);
        Assert.Equal(0, stats.Reconnects);
        // The retained presence message says "online".
        Assert.Contains(sub.Events(), e => e.Topic == "edge/cam1/status" && e.Event.State == "online");
    }

    [Fact]
    public async Task BrokerOutage_BuffersEvents_DeliversThemAfterRestart_AndCountsDroppedOldest()
    {
        using var broker = new MosquittoBroker(persistence: true);
        // A persistent session (clean session off, a session expiry, QoS 1) survives the broker restart, so the
        // subscriber also receives what the publisher flushes before the subscriber itself has reconnected.
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/cam1/#", "outage-sub", persistentSession: true);
        var log = new RecordingLogger<MqttPublisher>();
        await using var publisher = CreatePublisher(broker.Port, capacity: 50, log);
        await publisher.StartAsync(default);
        var sequencer = new EventSequencer([publisher]);
        for (int i = 1; i <= 20; i++)
        {
            sequencer.Publish(MakeEvent(i));
        }
        await Eventually.WaitUntilAsync(() => Seqs(sub).Length >= 20, Wait, "first 20 events");
        // Delivered is not yet acknowledged: an event whose PUBACK the stop cuts off stays queued (at least once) and
        // would take one of the 50 slots counted below.
        await Eventually.WaitUntilAsync(() => publisher.Stats.Published == 20, Wait, () => $"20 PUBACKs counted ({publisher.Stats})");

        broker.Stop();
        await Eventually.WaitUntilAsync(() => !publisher.Stats.Connected, Wait, "publisher notices the broker is gone");
        // So that ReconnectAsync below sends a new CONNECT rather than trusting a connection that is already gone.
        await Eventually.WaitUntilAsync(() => !sub.IsConnected, Wait, "subscriber notices the broker is gone");
        for (int i = 21; i <= 100; i++)
        {
            sequencer.Publish(MakeEvent(i));
        }
        // 80 events into a 50-slot queue: the 30 oldest (21..50) are dropped.
        var down = publisher.Stats;
        Assert.False(down.Connected);
        Assert.Equal(50, down.Buffered);
        Assert.Equal(30, down.Dropped);
        // Reconnect attempts fail (with backoff) while the broker is down, and the buffer keeps its 50 events. Waited
        // for rather than slept: on a loaded 2-core CI runner the first attempt came later than a fixed 600 ms.
        await Eventually.WaitUntilAsync(() => publisher.Stats.ConnectFailures >= 1, Wait, () => $"a failed reconnect attempt ({publisher.Stats})");
        Assert.True(publisher.Stats.Buffered == 50, $"stats while down: {publisher.Stats}");

        broker.Start();
        // The publisher flushes while the subscriber is still away (always, not only when it wins the race to
        // reconnect): the events reach the subscriber only if its session survived the restart.
        await Eventually.WaitUntilAsync(() => publisher.Stats.Buffered == 0, Wait, () => $"publisher queue drained ({publisher.Stats})");
        await sub.ReconnectAsync();
        Assert.True(sub.SessionPresent, $"the broker did not resume the subscriber's persistent session; broker log: {broker.Log}");
        await Eventually.WaitUntilAsync(() => Seqs(sub).Distinct().Count() >= 70, Wait,
            () => $"70 distinct events after restart (have {Seqs(sub).Distinct().Count()}); broker log: {broker.Log}");

        var distinct = Seqs(sub).Distinct().Order().ToArray();
        long[] expected = [.. Enumerable.Range(1, 20).Select(i => (long)i), .. Enumerable.Range(51, 50).Select(i => (long)i)];
        Assert.Equal(expected, distinct);
        var up = publisher.Stats;
        Assert.True(up.Connected);
        Assert.Equal(0, up.Buffered);
        Assert.Equal(30, up.Dropped);
        Assert.Equal(70, up.Published);
        Assert.True(up.Reconnects >= 1, $"reconnects {up.Reconnects}");
        // The drop count is reported to consumers in the "online" status published on reconnect.
        await Eventually.WaitUntilAsync(
            () => sub.Events().Any(e => e.Event is { Kind: EdgeEventKind.Status, State: "online", Reason: "reconnected", Dropped: 30 }),
            Wait, "status online/reconnected with dropped=30");

        // What the operator reads: the loss, the queue overflowing once, why reconnecting failed, the reconnect.
        string[] warnings = [.. log.Lines.Where(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(l => l.Message)];
        output.WriteLine(string.Join("\n", warnings));
        Assert.Contains(warnings, w => w.StartsWith($"MQTT connection to 127.0.0.1:{broker.Port} lost", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("MQTT queue full", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("failed (1 times in this outage)", StringComparison.Ordinal) && w.Contains("refused", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(log.Lines, l => l.Message.Contains("(connection 2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_DrainsQueue_ThenPublishesRetainedOfflineStatus()
    {
        using var broker = new MosquittoBroker();
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/cam1/#");
        var publisher = CreatePublisher(broker.Port, 5000);
        await publisher.StartAsync(default);
        await Eventually.WaitUntilAsync(() => publisher.Stats.Connected, Wait, "publisher connects");
        var sequencer = new EventSequencer([publisher]);
        for (int i = 1; i <= 500; i++)
        {
            sequencer.Publish(MakeEvent(i));
        }
        await publisher.StopAsync(default);

        Assert.Equal(0, publisher.Stats.Buffered);
        Assert.Equal(500, publisher.Stats.Published);
        Assert.False(publisher.Stats.Connected);
        await Eventually.WaitUntilAsync(() => Seqs(sub).Distinct().Count() >= 500, Wait, "all 500 events");
        // A client arriving later gets the retained final status.
        await using var late = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/cam1/status");
        await Eventually.WaitUntilAsync(() => !late.Received.IsEmpty, Wait, "retained status");
        var (_, status) = late.Events().Single();
        Assert.True(late.Received.Single().Retain);
        Assert.Equal("offline", status.State);
        Assert.Equal("shutdown", status.Reason);
        await publisher.DisposeAsync();
    }

    [Fact]
    public async Task StopRightAfterStart_WaitsForTheFirstConnection_AndDrainsEverything()
    {
        // SIGTERM straight after start-up (the service process test does this): the first CONNACK has not arrived yet
        // when the stop begins, and the events queued before it must still be delivered, not counted as left over.
        using var broker = new MosquittoBroker();
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/cam1/#");
        var publisher = CreatePublisher(broker.Port, 1000);
        var sequencer = new EventSequencer([publisher]);
        for (int i = 1; i <= 200; i++)
        {
            sequencer.Publish(MakeEvent(i));
        }
        await publisher.StartAsync(default);
        Assert.False(publisher.Stats.Connected);
        await publisher.StopAsync(default);

        Assert.Equal(200, publisher.Stats.Published);
        await Eventually.WaitUntilAsync(() => sub.Events().Any(e => e.Event.State == "offline"), Wait, "offline status");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), Seqs(sub).Distinct());
        Assert.Equal(0, sub.Events().Last(e => e.Event.Kind == EdgeEventKind.Status).Event.Dropped);
        await publisher.DisposeAsync();
    }

    [Fact]
    public async Task BrokerDownAtStart_KeepsBuffering_AndConnectsWhenItAppears()
    {
        using var broker = new MosquittoBroker();
        broker.Stop();
        await using var publisher = CreatePublisher(broker.Port, 100);
        await publisher.StartAsync(default);
        var sequencer = new EventSequencer([publisher]);
        for (int i = 1; i <= 10; i++)
        {
            sequencer.Publish(MakeEvent(i));
        }
        await Eventually.WaitUntilAsync(() => publisher.Stats.ConnectFailures >= 3, Wait, "several failed connects");
        Assert.Equal(10, publisher.Stats.Buffered);
        broker.Start();
        await Eventually.WaitUntilAsync(() => publisher.Stats.Published == 10, Wait, "queued events published once the broker is up");
        Assert.Equal(0, publisher.Stats.Reconnects); // first successful connection, not a reconnect
    }
}
