using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Tests.Fixtures;
using Edge.Service.Web;
using Xunit.Abstractions;

namespace Edge.Service.Tests.Pipeline;

/// <summary><c>edge run</c> as a real process on vtest.avi with the real YOLO model, a real mosquitto, the web view
/// on a loopback port, a NOTIFY_SOCKET standing in for systemd, and a real SIGTERM at the end.</summary>
public sealed class EdgeRunProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The CLI is built by the test project (ProjectReference without the assembly), same configuration.</summary>
    private static string EdgeDll()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Edge.Tests.TestData.Require(Path.Combine(Edge.Tests.TestData.RepoRoot, "src", "Edge.Cli", "bin", tfmDir.Parent!.Name, tfmDir.Name, "edge.dll"));
    }

    private static Process Start(IEnumerable<string> args, IDictionary<string, string>? env, StringBuilder log)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(EdgeDll());
        psi.ArgumentList.Add("run");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["EDGE_MODELS_DIR"] = Edge.Tests.TestData.ModelsDir;
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [Fact]
    public async Task Run_WithAMissingVideo_ExitsOneWithOneLineNamingIt_AndNoStackTrace()
    {
        string missing = Path.Combine(_dir, "missing.avi");
        var log = new StringBuilder();
        using var process = Start(["--source", missing, "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Edge:Mqtt:Enabled=false"], null, log);

        using var timeout = new CancellationTokenSource(Slow);
        await process.WaitForExitAsync(timeout.Token);
        string text;
        lock (log)
        {
            text = log.ToString();
        }
        output.WriteLine(text);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"edge: cannot open video '{missing}': file not found", text);
        Assert.DoesNotContain("   at Edge.", text);
    }

    [Fact]
    public async Task Run_WithAMissingModel_NamesTheKey()
    {
        var log = new StringBuilder();
        using var process = Start(
            ["--source", Edge.Tests.TestData.VideoPath, "--urls", $"http://127.0.0.1:{FreePort.Next()}", "--Edge:Mqtt:Enabled=false", "--Edge:Detector:Model=nope"],
            null, log);

        using var timeout = new CancellationTokenSource(Slow);
        await process.WaitForExitAsync(timeout.Token);
        string text = Log(log);
        output.WriteLine(text);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("edge: Edge:Detector:Model: Model 'nope' not found.", text);
        Assert.DoesNotContain("   at Edge.", text);
    }

    [Fact]
    public async Task SigtermDuringWarmup_IsAnOrdinaryStop_ExitZeroWithoutAFailedStart()
    {
        // systemd stopping a unit that is still warming up (a slow model load, a held warm-up) must not count as a
        // failure: exit 0, no "Hosting failed to start", no "pipeline running".
        int port = FreePort.Next();
        var log = new StringBuilder();
        using var process = Start(
            [
                "--source", Edge.Tests.TestData.VideoPath, "--urls", $"http://127.0.0.1:{port}", "--Edge:Mqtt:Enabled=false",
                $"--Edge:Service:WarmupHoldFile={Path.Combine(_dir, "never")}",
            ],
            null, log);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.WaitUntilAsync(async () =>
            await HealthzAsync(http, process, log) is { } answer && answer.Warmup.Reason?.StartsWith("warming up: held", StringComparison.Ordinal) == true,
            Slow, "/healthz reports the warm-up held");

        Signals.Terminate(process.Id);
        using (var timeout = new CancellationTokenSource(Slow))
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        string text = Log(log);
        output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {text}");
        Assert.DoesNotContain("Hosting failed to start", text);
        Assert.DoesNotContain("pipeline running", text);
    }

    [Fact]
    public async Task Run_OnVtest_WarmsUpThenServesTracksFollowMqttJsonlMetrics_AndFlushesOnSigterm()
    {
        using var broker = new MosquittoBroker();
        await using var sub = await MqttTestSubscriber.ConnectAsync(broker.Port, "edge/e2e/#");
        using var notify = new NotifySocket();
        int port = FreePort.Next();
        string events = Path.Combine(_dir, "events.jsonl");
        string holdFile = Path.Combine(_dir, "release-warmup");
        var log = new StringBuilder();
        using var process = Start(
            [
                "--source", Edge.Tests.TestData.VideoPath, "--urls", $"http://127.0.0.1:{port}",
                $"--Edge:Mqtt:Port={broker.Port}", "--Edge:Mqtt:DeviceId=e2e",
                $"--Edge:Service:EventLogPath={events}", "--Edge:Service:ShutdownTimeoutSeconds=60", $"--Edge:Service:WarmupHoldFile={holdFile}",
                $"--Edge:Output:Directory={_dir}", "--Edge:Output:Mot=mot.txt", "--Edge:Output:Detections=frames.jsonl",
                "--Edge:Detector:Classes:0=person", "--Edge:Follow:CommandRateHz=2",
                "--Logging:LogLevel:Default=Warning",
            ],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "2000000" },
            log);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            // 1. /healthz answers 503 (warm-up component unhealthy) while warm-up is unfinished, then 200; READY=1 comes
            //    after. The test holds the warm-up (after the model has loaded and run its first inference) until it has
            //    seen that: warm-up on a fast start could otherwise end before Kestrel answered the first poll.
            await Eventually.WaitUntilAsync(async () =>
            {
                if (await HealthzAsync(http, process, log) is not { } answer)
                {
                    return false; // Kestrel not listening yet.
                }
                Assert.Equal(503, answer.Status);
                Assert.NotEqual(HealthStatus.Healthy, answer.Warmup.Status);
                return answer.Warmup.Reason?.StartsWith("warming up: held", StringComparison.Ordinal) == true;
            }, Slow, "/healthz reports the warm-up held");
            long released = Stopwatch.GetTimestamp();
            Assert.DoesNotContain(notify.Lines(), l => l.Line == "READY=1");
            await File.WriteAllTextAsync(holdFile, "");
            await Eventually.WaitUntilAsync(async () =>
            {
                if (await HealthzAsync(http, process, log) is not { } answer)
                {
                    return false;
                }
                if (answer.Warmup.Status != HealthStatus.Healthy)
                {
                    Assert.Equal(503, answer.Status); // the worker has not seen the file yet
                }
                return answer.Status == 200;
            }, Slow, "/healthz healthy");
            await Eventually.WaitUntilAsync(() => notify.Lines().Any(l => l.Line == "READY=1"), TimeSpan.FromSeconds(10), "READY=1");
            Assert.True(notify.Lines().First(l => l.Line == "READY=1").Timestamp > released, "READY=1 before warm-up finished");

            // 2. Tracks, then a click on the largest person (retried: people move between the GET and the POST, as
            //    they do between a user seeing the image and clicking it).
            FollowState? requested = null;
            await Eventually.WaitUntilAsync(async () =>
            {
                var tracks = await http.GetFromJsonAsync("api/tracks", EdgeJsonContext.Default.TrackListResponse);
                if (tracks!.Tracks.Count == 0)
                {
                    return false;
                }
                Assert.All(tracks.Tracks, t => Assert.Equal("person", t.Label));
                Assert.Equal((768, 576), (tracks.Width, tracks.Height));
                var person = tracks.Tracks.MaxBy(t => (t.Box.X2 - t.Box.X1) * (t.Box.Y2 - t.Box.Y1))!;
                double cx = (person.Box.X1 + person.Box.X2) / 2, cy = (person.Box.Y1 + person.Box.Y2) / 2;
                using var post = await http.PostAsync("api/follow", new StringContent(
                    string.Create(CultureInfo.InvariantCulture, $"{{\"x\":{cx},\"y\":{cy}}}"), Encoding.UTF8, "application/json"));
                if (post.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return false;
                }
                Assert.True(post.IsSuccessStatusCode, await post.Content.ReadAsStringAsync());
                requested = await post.Content.ReadFromJsonAsync(EdgeJsonContext.Default.FollowState);
                return true;
            }, Slow, "a click on a listed person locks");
            Assert.Equal(FollowMode.Locked, requested!.Mode);
            int target = requested.TrackId!.Value;

            FollowState? follow = null;
            await Eventually.WaitUntilAsync(async () =>
            {
                follow = await http.GetFromJsonAsync("api/follow", EdgeJsonContext.Default.FollowState);
                return follow!.Mode == FollowMode.Locked;
            }, Slow, "the lock reports the target");
            Assert.Equal(target, follow!.TrackId);

            // 3. The lock shows up over MQTT (target_locked, then follow_command) with the same sequence numbers as JSONL.
            await Eventually.WaitUntilAsync(() => sub.Events().Any(e => e.Event.Kind == EdgeEventKind.FollowCommand), Slow, "follow_command over MQTT");
            var locked = sub.Events().First(e => e.Event.Kind == EdgeEventKind.TargetLocked);
            Assert.Equal(("edge/e2e/target_locked", target), (locked.Topic, locked.Event.TrackId));
            Assert.Contains(File.ReadAllLines(events), l => l.Contains("\"target_locked\"", StringComparison.Ordinal) && l.Contains($"\"seq\":{locked.Event.Seq},", StringComparison.Ordinal));

            // 4. /metrics: edge_ series with real values.
            var metrics = Parse(await http.GetStringAsync("metrics"));
            Assert.True(metrics["edge_frames_processed_total"] > 0);
            Assert.True(metrics["edge_fps"] > 0);
            Assert.True(metrics["edge_stage_latency_seconds_count{stage=\"infer\"}"] > 0);
            Assert.True(metrics["edge_stage_latency_seconds_sum{stage=\"capture\"}"] > 0);
            Assert.True(metrics["edge_stage_latency_seconds_count{stage=\"track\"}"] > 0);
            Assert.True(metrics["edge_mqtt_published_total"] > 0);
            Assert.True(metrics["edge_live_tracks"] >= 0 && metrics.ContainsKey("edge_follow_state"));
            Assert.Contains(notify.Lines(), l => l.Line == "WATCHDOG=1");

            // 5. Nobody has watched the stream yet, so no frame was drawn or encoded; a snapshot asks for one, and
            //    frames are encoded from then on.
            Assert.Equal(0, metrics["edge_live_frames_encoded_total"]);
            byte[] jpeg = await http.GetByteArrayAsync("snapshot.jpg");
            using (var snapshot = OpenCvSharp.Cv2.ImDecode(jpeg, OpenCvSharp.ImreadModes.Color))
            {
                Assert.Equal((768, 576), (snapshot.Width, snapshot.Height));
            }
            Assert.True(Parse(await http.GetStringAsync("metrics"))["edge_live_frames_encoded_total"] >= 1);

            // 6. SIGTERM: exit 0, every output complete.
            Signals.Terminate(process.Id);
            using (var timeout = new CancellationTokenSource(Slow))
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {Log(log)}");
            var lines = File.ReadAllLines(events);
            var written = lines.Select(l => JsonSerializer.Deserialize(l, EdgeJsonContext.Default.EdgeEvent)!).ToList();
            Assert.Equal(Enumerable.Range(1, written.Count).Select(i => (long)i), written.Select(e => e.Seq));
            written.RemoveAll(e => e.Kind == EdgeEventKind.Status);
            var started = written.Where(e => e.Kind == EdgeEventKind.TrackStarted).Select(e => e.TrackId).ToHashSet();
            var ended = written.Where(e => e.Kind == EdgeEventKind.TrackEnded).Select(e => e.TrackId).ToHashSet();
            Assert.Equal(started, ended); // tracks still alive at SIGTERM were ended on the way out
            await Eventually.WaitUntilAsync(() => sub.Events().Any(e => e.Event.State == "offline"), TimeSpan.FromSeconds(20), "offline status");
            var delivered = sub.Events().Where(e => e.Event.Kind != EdgeEventKind.Status).Select(e => e.Event.Seq).ToHashSet();
            Assert.Equal(written.Select(e => e.Seq).ToHashSet(), delivered);

            string mot = File.ReadAllText(Path.Combine(_dir, "mot.txt"));
            Assert.EndsWith("\n", mot);
            Assert.All(mot.TrimEnd('\n').Split('\n'), l => Assert.Equal(10, l.Split(',').Length));
            var frames = File.ReadAllLines(Path.Combine(_dir, "frames.jsonl"));
            Assert.True(frames.Length >= metrics["edge_frames_processed_total"]);
            using (JsonDocument.Parse(frames[^1]))
            {
            }
            output.WriteLine($"{frames.Length} frames, {written.Count} events, {delivered.Count} over MQTT");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Theory]
    [InlineData("--Edge:Follow:CommandRateHz=0", "Edge:Follow:CommandRateHz")]
    [InlineData("--Edge:Detector:ScoreThreshold=1.5", "Edge:Detector:ScoreThreshold")]
    [InlineData("--Edge:Web:Urls=http://0.0.0.0:8080", "Edge:Web:Token")]
    [InlineData("--Edge:Source:Kind=Firewire", "Edge:Source:Kind")]
    [InlineData("--Edge:Source:Kind=File", "Edge:Source:File:Path")]
    [InlineData("--Edge:Output:Record=incident.mp4", "Edge:Output:Record")]
    public async Task Run_WithBadConfiguration_NamesTheKey_AndExitsNonZero(string setting, string key)
    {
        var log = new StringBuilder();
        string[] source = setting.StartsWith("--Edge:Source:", StringComparison.Ordinal) ? [] : ["--source", Edge.Tests.TestData.VideoPath];
        using var process = Start([.. source, "--Edge:Mqtt:Enabled=false", setting], null, log);
        using var timeout = new CancellationTokenSource(Slow);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(key, Log(log));
    }

    /// <summary>The /healthz status code and warm-up component; null while Kestrel is not listening.</summary>
    private static async Task<(int Status, ComponentHealth Warmup)?> HealthzAsync(HttpClient http, Process process, StringBuilder log)
    {
        Assert.False(process.HasExited, "edge run exited during warm-up: " + Log(log));
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync("healthz");
        }
        catch (HttpRequestException)
        {
            return null;
        }
        using (response)
        {
            var report = await response.Content.ReadFromJsonAsync(EdgeJsonContext.Default.HealthReport);
            return ((int)response.StatusCode, report!.Components["warmup"]);
        }
    }

    private static string Log(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static Dictionary<string, double> Parse(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && l[0] != '#')
        .Select(l => (Key: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
        .ToDictionary(p => p.Key, p => p.Value);
}
