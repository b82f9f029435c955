using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Pipeline;
using Edge.Service.Tests.Fixtures;
using Edge.Service.Web;
using Edge.Tests.Capture;
using Microsoft.AspNetCore.Builder;

namespace Edge.Service.Tests.Pipeline;

/// <summary><c>edge run</c> in process on a real ffmpeg MJPEG stream (an IP camera) with the real YOLO model: killing
/// the camera turns capture health red with the reason, the service keeps running, and when the camera comes back
/// the reconnect shows in <c>/metrics</c> and capture turns green again.</summary>
public sealed class LiveSourceReconnectTests
{
    [Fact]
    public async Task KilledCamera_ReportsReconnectingInHealth_ThenCountsTheReconnectInMetrics()
    {
        using var server = new FfmpegStreamServer();
        string dir = Directory.CreateTempSubdirectory("edge-run-live-").FullName;
        string recording = Path.Combine(dir, "incident.mkv");
        int port = FreePort.Next();
        WebApplication app = EdgeRunHost.Build(
        [
            $"--Edge:Source:Uri={server.Url}", $"--Edge:Web:Urls=http://127.0.0.1:{port}",
            "--Edge:Mqtt:Enabled=false", "--Edge:Source:ReconnectDelaySeconds=0.2", "--Edge:Source:ReconnectMaxDelaySeconds=1",
            "--Edge:Source:ReadTimeoutSeconds=1", "--Edge:Source:OpenTimeoutSeconds=4", "--Logging:LogLevel:Default=Warning",
            $"--Edge:Output:Record={recording}",
        ]);
        await using var _ = app;
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var worker = (ServicePipelineWorker)app.Services.GetService(typeof(ServicePipelineWorker))!;

        await Eventually.WaitUntilAsync(() => worker.Frames >= 10, TimeSpan.FromSeconds(20), "10 frames from the stream");
        Assert.Equal(0, await Metric(http, "edge_source_reconnects_total"));
        server.Kill();
        ComponentHealth? capture = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            capture = (await Health(http)).Components[ServiceFrameSink.Capture];
            return capture.Status == HealthStatus.Unhealthy && capture.Reason!.StartsWith("reconnecting", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), "capture reports reconnecting");
        long framesWhileDown = worker.Frames;
        using (var down = await http.GetAsync("healthz"))
        {
            Assert.Equal(503, (int)down.StatusCode);
        }

        server.Start();
        await Eventually.WaitUntilAsync(() => worker.Frames >= framesWhileDown + 10, TimeSpan.FromSeconds(20), "frames after the restart");
        Assert.Equal(1, await Metric(http, "edge_source_reconnects_total"));
        capture = (await Health(http)).Components[ServiceFrameSink.Capture];
        Assert.Equal(HealthStatus.Healthy, capture.Status);
        Assert.Contains("edge_dropped_frames_total{stage=\"sink:frame_recorder\"}", await http.GetStringAsync("metrics"));
        await app.StopAsync(timeout.Token);
        Assert.Equal(0, worker.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");

        // Edge:Output:Record: the recorder got the frames before and after the outage, indices increasing, and
        // its own drop counter is exported.
        var rows = File.ReadAllLines(recording + ".frames.csv").Skip(1)
            .Select(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Directory.Delete(dir, recursive: true);
        Assert.True(rows.Count >= framesWhileDown + 10 - 2, $"{rows.Count} recorded frames, {framesWhileDown} before the restart");
        Assert.All(rows.Skip(1).Zip(rows), p => Assert.True(p.First > p.Second, $"{p.First} after {p.Second}"));
    }

    [Fact]
    public async Task UnreachableCameraAtStart_LeavesTheServiceUpAndDegraded_UntilItAppears()
    {
        using var server = new FfmpegStreamServer();
        server.Kill();
        int port = FreePort.Next();
        WebApplication app = EdgeRunHost.Build(
        [
            $"--Edge:Source:Uri={server.Url}", $"--Edge:Web:Urls=http://127.0.0.1:{port}",
            "--Edge:Mqtt:Enabled=false", "--Edge:Source:ReconnectDelaySeconds=0.2", "--Edge:Source:ReconnectMaxDelaySeconds=1",
            "--Edge:Source:ReadTimeoutSeconds=1", "--Edge:Source:OpenTimeoutSeconds=2", "--Logging:LogLevel:Default=Warning",
        ]);
        await using var _ = app;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var worker = (ServicePipelineWorker)app.Services.GetService(typeof(ServicePipelineWorker))!;

        // Up (the web view answers), degraded (503, capture unhealthy with the reason), retrying, no frames.
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        using (var down = await http.GetAsync("healthz", timeout.Token))
        {
            Assert.Equal(503, (int)down.StatusCode);
        }
        var capture = (await Health(http)).Components[ServiceFrameSink.Capture];
        Assert.Equal(HealthStatus.Unhealthy, capture.Status);
        Assert.Equal(0, worker.Frames);

        server.Start();
        await Eventually.WaitUntilAsync(() => worker.Frames >= 10, TimeSpan.FromSeconds(20), "frames once the camera is up");
        await Eventually.WaitUntilAsync(async () => (await Health(http)).Components[ServiceFrameSink.Capture].Status == HealthStatus.Healthy,
            TimeSpan.FromSeconds(10), "capture healthy once streaming");
        await app.StopAsync(timeout.Token);
        Assert.Equal(0, worker.ExitCode);
    }

    private static async Task<HealthReport> Health(HttpClient http)
    {
        using var response = await http.GetAsync("healthz");
        return (await response.Content.ReadFromJsonAsync(EdgeJsonContext.Default.HealthReport))!;
    }

    private static async Task<double> Metric(HttpClient http, string series)
    {
        string text = await http.GetStringAsync("metrics");
        string line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
