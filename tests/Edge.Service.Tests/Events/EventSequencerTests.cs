using Edge.Service.Events;
using Edge.Service.Health;

namespace Edge.Service.Tests.Events;

public sealed class EventSequencerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-seq-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFailingSinkLosesItsEventsAlone_AndHealthSaysSoUntilItRecovers()
    {
        // A full disk under the event log (/dev/full fails every write) must not stop MQTT or the pipeline.
        using var full = new JsonlEventSink("/dev/full");
        string path = Path.Combine(_dir, "events.jsonl");
        using var good = new JsonlEventSink(path);
        var flaky = new FlakySink { Failing = true };
        var health = new HealthRegistry();
        var sequencer = new EventSequencer([full, flaky, good], health: health);

        for (int i = 0; i < 3; i++)
        {
            sequencer.Publish(EdgeEvent.TargetLost(i, 1, "test"));
        }
        Assert.Equal(3, File.ReadAllLines(path).Length);
        Assert.Equal(6, sequencer.Failures);
        ComponentHealth events = health.Snapshot().Components[EventSequencer.HealthComponent];
        Assert.Equal(HealthStatus.Degraded, events.Status);

        flaky.Failing = false;
        var last = sequencer.Publish(EdgeEvent.TargetLost(3, 1, "test"));
        Assert.Equal(4, last.Seq);
        Assert.Equal([4L], flaky.Seqs);
        Assert.Equal(7, sequencer.Failures); // /dev/full still fails, so health stays degraded
        Assert.Equal(HealthStatus.Degraded, health.Snapshot().Components[EventSequencer.HealthComponent].Status);
    }

    [Fact]
    public void ASinkThatRecoversTurnsHealthBackToHealthy()
    {
        var flaky = new FlakySink { Failing = true };
        var health = new HealthRegistry();
        var sequencer = new EventSequencer([flaky], health: health);
        sequencer.Publish(EdgeEvent.TargetLost(0, 1, "test"));
        Assert.Equal(HealthStatus.Degraded, health.Snapshot().Components[EventSequencer.HealthComponent].Status);

        flaky.Failing = false;
        sequencer.Publish(EdgeEvent.TargetLost(1, 1, "test"));
        Assert.Equal(HealthStatus.Healthy, health.Snapshot().Components[EventSequencer.HealthComponent].Status);
        Assert.Equal([2L], flaky.Seqs);
    }

    /// <summary>A sink whose failures the test switches on and off (a broker or disk that comes back).</summary>
    private sealed class FlakySink : IEventSink
    {
        public bool Failing { get; set; }

        public List<long> Seqs { get; } = [];

        public void Publish(EdgeEvent e)
        {
            if (Failing)
            {
                throw new IOException("device unavailable");
            }
            Seqs.Add(e.Seq);
        }
    }
}
