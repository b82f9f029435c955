using System.Text.Json;
using Edge.Geometry;
using Edge.Service.Events;

namespace Edge.Service.Tests.Events;

public sealed class JsonlEventSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-jsonl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesOneFlushedLinePerEvent_ReadableWhileOpen()
    {
        string path = Path.Combine(_dir, "logs", "events.jsonl");
        using var sink = new JsonlEventSink(path);
        var sequencer = new EventSequencer([sink]);
        var started = sequencer.Publish(EdgeEvent.TrackStarted(12, 3, new BoxF(10, 20, 30.5f, 80), 0.875f, "person"));
        var lost = sequencer.Publish(EdgeEvent.TargetLost(40, 3, "not seen for 30 frames"));
        var cmd = sequencer.Publish(EdgeEvent.Follow(41, 3, new FollowCommandPayload(-0.5f, 0.25f, false)));

        // Flushed per event: another reader sees all three lines before the sink is closed.
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var lines = reader.ReadToEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Equal(started, JsonSerializer.Deserialize(lines[0], EdgeJsonContext.Default.EdgeEvent));
        Assert.Equal(lost, JsonSerializer.Deserialize(lines[1], EdgeJsonContext.Default.EdgeEvent));
        Assert.Equal(cmd, JsonSerializer.Deserialize(lines[2], EdgeJsonContext.Default.EdgeEvent));
        Assert.StartsWith("{\"kind\":\"track_started\",", lines[0]);
        Assert.Contains("\"seq\":1,\"frame\":12,\"trackId\":3,\"box\":{\"x1\":10,\"y1\":20,\"x2\":30.5,\"y2\":80},\"score\":0.875,\"label\":\"person\"}", lines[0]);
        Assert.DoesNotContain("command", lines[0]); // null fields are omitted
        Assert.Contains("\"command\":{\"yaw\":-0.5,\"distance\":0.25,\"active\":false}", lines[2]);
        Assert.Equal(3, sink.Written);
    }

    [Fact]
    public void AppendsAcrossRestarts_AndRefusesWritesAfterDispose()
    {
        string path = Path.Combine(_dir, "events.jsonl");
        using (var first = new JsonlEventSink(path))
        {
            first.Publish(EdgeEvent.Status("online"));
        }
        var second = new JsonlEventSink(path);
        second.Publish(EdgeEvent.Status("offline", "shutdown"));
        second.Dispose();
        Assert.Throws<ObjectDisposedException>(() => second.Publish(EdgeEvent.Status("late")));
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"state\":\"online\"", lines[0]);
        Assert.Contains("\"reason\":\"shutdown\"", lines[1]);
    }

    [Fact]
    public void UnwritablePath_IsAnEdgeException_NamingThePath()
    {
        string path = Path.Combine(_dir, "file-not-dir");
        File.WriteAllText(path, "");
        var ex = Assert.Throws<EdgeException>(() => new JsonlEventSink(Path.Combine(path, "events.jsonl")));
        Assert.Contains(path, ex.Message);
    }
}
