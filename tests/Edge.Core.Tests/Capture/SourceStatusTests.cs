using Edge.Capture;

namespace Edge.Tests.Capture;

public class SourceStatusTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void AnOutageCountsOnceHoweverManyAttemptsItTakes()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 23, 21, 0, 0, TimeSpan.Zero));
        var status = new SourceStatus("rtsp://cam", time);
        var changes = new List<SourceState>();
        status.StateChanged += s => changes.Add(s.State);
        Assert.Equal(SourceState.Connecting, status.State);
        Assert.Null(status.Snapshot().LastFrameAt);

        status.RecordFrame();
        status.RecordFrame();
        status.RecordLost("read timed out");
        status.RecordFailedAttempt("connection refused");
        status.RecordFailedAttempt("connection refused");
        status.RecordLost("still down");
        time.Now = time.Now.AddSeconds(3);
        status.RecordFrame();
        status.RecordDropped();

        var snapshot = status.Snapshot();
        Assert.Equal(SourceState.Streaming, snapshot.State);
        Assert.Equal(1, snapshot.Reconnects);
        Assert.Equal(2, snapshot.FailedAttempts);
        Assert.Equal(3, snapshot.FramesRead);
        Assert.Equal(1, snapshot.FramesDropped);
        Assert.Equal("still down", snapshot.LastError);
        Assert.Equal(time.Now, snapshot.LastFrameAt);
        Assert.Equal([SourceState.Streaming, SourceState.Reconnecting, SourceState.Reconnecting, SourceState.Streaming], changes);

        status.RecordLost("again");
        Assert.Equal(2, status.Reconnects);
    }

    [Fact]
    public void EndedIsFinal()
    {
        var status = new SourceStatus("clip.mp4");
        status.RecordFrame();
        status.RecordEnded();
        status.RecordLost("late error");
        status.RecordFrame();
        Assert.Equal(SourceState.Ended, status.State);
        Assert.Equal(0, status.Reconnects);
        Assert.Null(status.LastError);
    }
}
