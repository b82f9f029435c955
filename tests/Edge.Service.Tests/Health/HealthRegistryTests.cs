using Edge.Service.Health;

namespace Edge.Service.Tests.Health;

public sealed class HealthRegistryTests
{
    [Fact]
    public void Overall_IsTheWorstComponent()
    {
        var h = new HealthRegistry();
        Assert.Equal(HealthStatus.Healthy, h.Snapshot().Status);
        h.Report("capture", HealthStatus.Healthy);
        h.Report("sinks", HealthStatus.Degraded, "mqtt down");
        Assert.Equal(HealthStatus.Degraded, h.Snapshot().Status);
        h.Report("inference", HealthStatus.Unhealthy, "session failed");
        var report = h.Snapshot();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("session failed", report.Components["inference"].Reason);
        h.Report("inference", HealthStatus.Healthy);
        h.Report("sinks", HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Healthy, h.Snapshot().Status);
    }

    [Fact]
    public void ExpectedComponent_IsUnhealthyUntilItReports_AndWhenItGoesQuiet()
    {
        var clock = new ManualClock();
        var h = new HealthRegistry(clock);
        h.Expect("capture", TimeSpan.FromSeconds(2));
        Assert.Equal("no report yet", h.Snapshot().Components["capture"].Reason);
        Assert.Equal(HealthStatus.Unhealthy, h.Snapshot().Status);
        h.Report("capture", HealthStatus.Healthy, "25 fps");
        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HealthStatus.Healthy, h.Snapshot().Status);
        clock.Advance(TimeSpan.FromSeconds(1));
        var stale = h.Snapshot().Components["capture"];
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Equal(2.5, stale.AgeSeconds);
        Assert.StartsWith("no report for 2.5 s (limit 2.0 s)", stale.Reason);
    }
}

/// <summary>A clock the test advances by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
