using System.Diagnostics;
using System.Text.Json;
using Edge.Service.Events;
using Edge.Service.Tests.Fixtures;
using Xunit.Abstractions;

namespace Edge.Service.Tests.Hosting;

/// <summary>The host as a real process (tests/Edge.Service.Tests/Probe) stopped by a real SIGTERM.</summary>
public sealed class ServiceProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-probe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The probe is built next to the test project's own output, same configuration.</summary>
    private static string ProbePath()
    {
        // AppContext.BaseDirectory = tests/Edge.Service.Tests/bin/<Configuration>/net10.0/
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var projectDir = tfmDir.Parent.Parent!.Parent!.FullName;
        return TestDataRequire(Path.Combine(projectDir, "Probe", "bin", configuration, tfmDir.Name, "Edge.Service.Probe.dll"));
    }

    private static string TestDataRequire(string path) => Edge.Tests.TestData.Require(path);

    /// <summary>Runs the probe until READY, sends SIGTERM, asserts exit code 0 and returns the time from
    /// SIGTERM to exit.</summary>
    private async Task<TimeSpan> RunProbeUntilSigtermAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ProbePath());
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        try
        {
            // Console log lines (e.g. the MQTT publisher warning that the broker is down) share stdout and may come
            // before READY: skip them, within the same 30 s bound.
            using (var readyTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                string? line;
                do
                {
                    line = await process.StandardOutput.ReadLineAsync(readyTimeout.Token);
                    Assert.True(line is not null, "probe exited before printing READY");
                }
                while (!line!.StartsWith("READY ", StringComparison.Ordinal));
                Assert.StartsWith("READY http://127.0.0.1:", line);
            }
            var stopwatch = Stopwatch.StartNew();
            Signals.Terminate(process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            var elapsed = stopwatch.Elapsed;
            output.WriteLine($"exit {process.ExitCode} {elapsed.TotalMilliseconds:0} ms after SIGTERM");
            string stderrText;
            lock (stderr)
            {
                stderrText = stderr.ToString();
            }
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {stderrText}");
            // Console log lines (warnings) share stdout; the probe's last line proves Main returned normally.
            var rest = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.TrimEntries);
            Assert.Contains("STOPPED", rest);
            return elapsed;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Sigterm_DrainsMqtt_FlushesJsonl_PublishesOfflineStatus_AndExitsZero()
    {
        const int events = 1000;
        using var broker = new MosquittoBroker();
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/probe/#");
        string jsonl = Path.Combine(_dir, "events.jsonl");
        // SIGTERM right after READY: most of the 1000 events are still queued for MQTT (about 400/s against mosquitto).
        await RunProbeUntilSigtermAsync(
            "--Edge:Web:Urls=http://127.0.0.1:0", $"--Edge:Mqtt:Port={broker.Port}", "--Edge:Mqtt:DeviceId=probe",
            "--Edge:Mqtt:DrainSeconds=20", "--Edge:Service:ShutdownTimeoutSeconds=25", $"--Edge:Service:EventLogPath={jsonl}",
            $"--Probe:Events={events}", "--Logging:LogLevel:Default=Warning");

        // JSONL: every event, one complete line each, flushed and closed.
        var lines = File.ReadAllLines(jsonl);
        Assert.Equal(events, lines.Length);
        Assert.Equal(Enumerable.Range(1, events).Select(i => (long)i),
            lines.Select(l => JsonSerializer.Deserialize(l, EdgeJsonContext.Default.EdgeEvent)!.Seq));

        // MQTT: every event arrived before the final status; the retained status says offline/shutdown.
        await Eventually.WaitUntilAsync(() => sub.Events().Any(e => e.Event.State == "offline"), TimeSpan.FromSeconds(10), "offline status");
        var received = sub.Events();
        var seqs = received.Where(e => e.Event.Kind == EdgeEventKind.TrackStarted).Select(e => e.Event.Seq).Distinct().Count();
        Assert.Equal(events, seqs);
        var final = received.Last(e => e.Event.Kind == EdgeEventKind.Status).Event;
        Assert.Equal(("offline", "shutdown", 0L), (final.State, final.Reason, final.Dropped));
        await using var late = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/probe/status");
        await Eventually.WaitUntilAsync(() => !late.Received.IsEmpty, TimeSpan.FromSeconds(10), "retained status");
        Assert.Equal("offline", late.Events().Single().Event.State);
    }

    [Fact]
    public async Task Sigterm_WithBrokerDown_StillFlushesJsonl_AndExitsZeroPromptly()
    {
        using var broker = new MosquittoBroker();
        broker.Stop();
        string jsonl = Path.Combine(_dir, "events.jsonl");
        var elapsed = await RunProbeUntilSigtermAsync(
            "--Edge:Web:Urls=http://127.0.0.1:0", $"--Edge:Mqtt:Port={broker.Port}", "--Edge:Mqtt:DeviceId=probe",
            "--Edge:Mqtt:DrainSeconds=20", "--Edge:Service:ShutdownTimeoutSeconds=3", $"--Edge:Service:EventLogPath={jsonl}",
            "--Probe:Events=50", "--Logging:LogLevel:Default=Warning");
        // Nothing to drain into: no waiting for DrainSeconds; well inside the 3 s shutdown timeout plus process exit.
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.Equal(50, File.ReadAllLines(jsonl).Length);
    }

    [Fact]
    public async Task Crash_LeavesTheLastWill_OfflineConnectionLost_AsRetainedStatus()
    {
        using var broker = new MosquittoBroker();
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/probe/status");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ProbePath(), "--Edge:Web:Urls=http://127.0.0.1:0", $"--Edge:Mqtt:Port={broker.Port}", "--Edge:Mqtt:DeviceId=probe", "--Logging:LogLevel:Default=None" })
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        try
        {
            await Eventually.WaitUntilAsync(() => sub.Events().Any(e => e.Event.State == "online"), TimeSpan.FromSeconds(30), "probe online");
        }
        finally
        {
            // SIGKILL: the socket closes without an MQTT DISCONNECT, as in a crash or power loss.
            process.Kill();
            await process.WaitForExitAsync();
        }
        await Eventually.WaitUntilAsync(() => sub.Events().Any(e => e.Event.State == "offline"), TimeSpan.FromSeconds(10), "last will");
        await using var late = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/probe/status");
        await Eventually.WaitUntilAsync(() => !late.Received.IsEmpty, TimeSpan.FromSeconds(10), "retained status");
        var status = late.Events().Single().Event;
        Assert.Equal(("offline", "connection lost"), (status.State, status.Reason));
    }
}
