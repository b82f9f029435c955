using System.CommandLine;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Capture;
using Edge.Detection;
using Edge.Evaluation;
using Edge.FollowMe;
using Edge.Pipeline;
using Edge.Recording;
using Edge.Regression;
using Edge.Sinks;
using Edge.Tracking;
using Spectre.Console;

namespace Edge.Cli.Commands;

/// <summary><c>edge regress</c>: replays a recorded video through detect → track → follow (scripted selection) and
/// compares the outputs with the goldens in a folder, or rewrites them with <c>--update</c> (docs/regression.md).
/// Exit 0 within tolerances, 2 when a tolerance is exceeded, 1 on errors (missing or corrupt golden, bad config).</summary>
public static class RegressCommand
{
    public const int DriftExitCode = 2;
    public const string ManifestFile = "manifest.json";
    public const string FramesFile = "frames.jsonl";
    public const string TracksFile = "tracks.txt";
    public const string StatsFile = "stats.json";
    public const string ReportFile = "report.txt";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var source = new Option<string>("--source", "-s") { Description = "Recorded video (or an edge --record recording, whose timestamps are used).", Required = true };
        var golden = new Option<string>("--golden", "-g") { Description = "Folder of golden outputs with manifest.json.", Required = true };
        var model = new Option<string?>("--model", "-m") { Description = "Model name or .onnx path (default: the manifest's)." };
        var config = new Option<string?>("--config") { Description = "JSON file overriding the manifest's config and tolerances field by field ({\"conf\":0.3,\"trackerOverrides\":{...},\"tolerances\":{...}})." };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: the manifest's, 1)." };
        var maxFrames = new Option<long?>("--max-frames") { Description = "Replay only the first N frames (default: the manifest's, all)." };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for this run's outputs and report (default runs/regress/<golden folder name>)." };
        var update = new Option<bool>("--update") { Description = "Rewrite the goldens from this run and record the reason, model hash and configuration in manifest.json." };
        var reason = new Option<string?>("--reason") { Description = "Why the goldens change (required with --update)." };
        var record = new Option<string?>("--record") { Description = "Also record the frames processed (FFV1 .avi/.mkv with a timestamps sidecar)." };
        var command = new Command("regress", "Replay a recorded video through detect, track and follow and compare with (or update) golden outputs.");
        foreach (var option in new Option[] { source, golden, model, config, threads, maxFrames, output, update, reason, record })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            string goldenDir = parse.GetValue(golden)!;
            bool updating = parse.GetValue(update);
            string? why = parse.GetValue(reason);
            if (updating && string.IsNullOrWhiteSpace(why))
            {
                throw new EdgeException("--update needs --reason \"...\" (it is recorded in the manifest)");
            }
            string manifestPath = Path.Combine(goldenDir, ManifestFile);
            RegressionManifest? manifest = File.Exists(manifestPath) ? ReadManifest(manifestPath)
                : updating ? null : throw new EdgeException($"golden manifest not found: {manifestPath} (create the goldens with --update --reason \"...\")");
            var (cfg, tolerances) = ResolveConfig(manifest, parse.GetValue(config));
            cfg = cfg with
            {
                Model = parse.GetValue(model) ?? cfg.Model,
                Threads = parse.GetValue(threads) ?? cfg.Threads,
                MaxFrames = parse.GetValue(maxFrames) ?? cfg.MaxFrames,
            };
            cfg.Validate();
            tolerances.Validate();
            // Read (and so check) every golden before spending a minute on the replay.
            IReadOnlyList<RegressionFrame> goldenFrames = [];
            IReadOnlyList<MotRecord> goldenTracks = [];
            if (!updating)
            {
                goldenFrames = ReadFrames(Path.Combine(goldenDir, FramesFile + ".gz"), manifest);
                goldenTracks = ReadTracks(Path.Combine(goldenDir, TracksFile + ".gz"), manifest);
                ReadStats(Path.Combine(goldenDir, StatsFile));
            }
            string outDir = parse.GetValue(output) ?? Path.Combine("runs", "regress", new DirectoryInfo(Path.GetFullPath(goldenDir)).Name);
            Directory.CreateDirectory(outDir);
            IAnsiConsole console = VideoRunOptions.CreateConsole();

            var run = await ReplayAsync(parse.GetValue(source)!, cfg, outDir, parse.GetValue(record), console, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (updating)
            {
                WriteGoldens(goldenDir, outDir, manifest, cfg, tolerances, run, why!, parse.GetValue(source)!);
                console.WriteLine($"goldens updated in {goldenDir}: {run.Statistics.Frames} frames, model {run.ModelName} sha256 {run.ModelSha256[..12]}");
                return 0;
            }
            if (manifest!.ModelSha256.Length > 0 && manifest.ModelSha256 != run.ModelSha256)
            {
                console.WriteLine($"note: model {run.ModelName} sha256 {run.ModelSha256[..12]} differs from the goldens' {manifest.ModelName} {manifest.ModelSha256[..Math.Min(12, manifest.ModelSha256.Length)]}");
            }
            var currentFrames = ReadFrames(Path.Combine(outDir, FramesFile), null);
            var currentTracks = ReadTracks(Path.Combine(outDir, TracksFile), null);
            var report = RegressionReport.Create(goldenFrames, goldenTracks, currentFrames, currentTracks, tolerances);
            string summary = ConfigChanges(manifest.Config, cfg) + report.FormatSummary();
            await File.WriteAllTextAsync(Path.Combine(outDir, ReportFile), summary, ct).ConfigureAwait(false);
            // Plain text (not the console's markup renderer), so lines are not re-wrapped at the terminal width.
            Console.Out.Write(summary);
            return report.Passed ? 0 : DriftExitCode;
        });
        return command;
    }

    /// <summary>The outputs of one replay: where they are and what produced them.</summary>
    public sealed record ReplayRun(RegressionStatistics Statistics, string ModelName, string ModelSha256, string ExecutionProvider);

    /// <summary>Runs detect → track → scripted follow over <paramref name="sourcePath"/>, writing frames.jsonl,
    /// tracks.txt and stats.json into <paramref name="outDir"/>.</summary>
    public static async Task<ReplayRun> ReplayAsync(string sourcePath, RegressionConfig cfg, string outDir, string? recordPath, IAnsiConsole console, CancellationToken ct)
    {
        var steps = cfg.ParseFollowScript();
        TrackerOptions? trackerOptions = cfg.Tracker == "sort" ? null : ApplyOverrides(cfg.Tracker == "reference" ? TrackerOptions.Reference : TrackerOptions.Default, cfg.TrackerOverrides);
        using IFrameSource source = FrameSourceFactory.Open(sourcePath);
        using IObjectDetector detector = YoloDetector.Create(new DetectorOptions
        {
            Model = cfg.Model,
            ScoreThreshold = cfg.Conf,
            IouThreshold = cfg.Iou,
            Classes = cfg.Classes,
            IntraOpThreads = cfg.Threads,
            Providers = ["CPU"],
        });
        double fps = source.Fps > 0 ? source.Fps : 30;
        using var tracking = trackerOptions is null
            ? new TrackingAnalyzer(new SortTracker(), cameraMotion: false, appearance: false)
            : new TrackingAnalyzer(new ByteTracker(trackerOptions, fps), trackerOptions.CameraMotionCompensation, trackerOptions.Appearance);
        var follow = new FollowAnalyzer(new FollowOptions { FrameRate = (float)fps }, FollowAnalyzer.DefaultSteering(Enum.Parse<SteeringMode>(cfg.Steering)), null);
        var script = new FollowScriptAnalyzer(follow, steps);
        string framesPath = Path.Combine(outDir, FramesFile), tracksPath = Path.Combine(outDir, TracksFile);
        var sinks = new List<IFrameSink>
        {
            new JsonlDetectionSink(framesPath, detector.Model.ClassNames),
            new MotResultsSink(tracksPath, TrackOutputFilter.ByteTrack),
        };
        PipelineStatistics statistics;
        try
        {
            if (recordPath is { Length: > 0 })
            {
                sinks.Insert(0, new FrameRecorder(recordPath, source.Fps));
            }
            statistics = await VideoRunOptions.RunAsync("regress", source, detector, [tracking, script, follow], sinks, new DetectionPipelineOptions { MaxFrames = cfg.MaxFrames }, console, ct).ConfigureAwait(false);
        }
        finally
        {
            VideoRunOptions.DisposeAll(sinks);
        }
        var stats = RegressionStatistics.From(ReadFrames(framesPath, null), ReadTracks(tracksPath, null)) with
        {
            MeanInferenceMs = Math.Round(statistics[PipelineStage.Inference].Mean, 2),
        };
        await File.WriteAllTextAsync(Path.Combine(outDir, StatsFile), JsonSerializer.Serialize(stats, Json) + "\n", ct).ConfigureAwait(false);
        return new ReplayRun(stats, detector.Model.Name, TensorRtEngineCache.Sha256OfFile(detector.Model.Path), detector.ExecutionProvider);
    }

    /// <summary>The manifest's config and tolerances (defaults without a manifest), overridden field by field by the
    /// optional JSON file; its <c>tolerances</c> object overrides the tolerances the same way.</summary>
    public static (RegressionConfig Config, RegressionTolerances Tolerances) ResolveConfig(RegressionManifest? manifest, string? overridePath)
    {
        var cfg = manifest?.Config ?? new RegressionConfig();
        var tolerances = manifest?.Tolerances ?? new RegressionTolerances();
        if (overridePath is null)
        {
            return (cfg, tolerances);
        }
        if (!File.Exists(overridePath))
        {
            throw new EdgeException($"--config file not found: {overridePath}");
        }
        JsonObject overrides;
        try
        {
            overrides = JsonNode.Parse(File.ReadAllText(overridePath)) as JsonObject ?? throw new EdgeException($"{overridePath}: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new EdgeException($"{overridePath}: not valid JSON ({ex.Message})", ex);
        }
        if (overrides["tolerances"] is JsonObject t)
        {
            overrides.Remove("tolerances");
            tolerances = Merge(tolerances, t, overridePath + " tolerances");
        }
        return (Merge(cfg, overrides, overridePath), tolerances);
    }

    /// <summary>"config  conf 0.25 -> 0.35" lines for every field that differs from the goldens' config, so a
    /// report names the change next to its effect.</summary>
    public static string ConfigChanges(RegressionConfig golden, RegressionConfig current)
    {
        var g = JsonSerializer.SerializeToNode(golden, Json)!.AsObject();
        var c = JsonSerializer.SerializeToNode(current, Json)!.AsObject();
        var s = new StringBuilder();
        foreach (var (key, value) in c)
        {
            string now = value?.ToJsonString() ?? "null", before = g[key]?.ToJsonString() ?? "null";
            if (now != before)
            {
                s.AppendLine($"config      {key} {before} -> {now}");
            }
        }
        return s.ToString();
    }

    /// <summary>Tracker options with the given camelCase properties replaced; an unknown name is an error.</summary>
    public static TrackerOptions ApplyOverrides(TrackerOptions options, JsonObject? overrides) =>
        overrides is null ? options : Merge(options, overrides, "trackerOverrides");

    private static T Merge<T>(T value, JsonObject overrides, string what)
    {
        var node = JsonSerializer.SerializeToNode(value, Json)!.AsObject();
        foreach (var (key, v) in overrides)
        {
            string? name = node.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                throw new EdgeException($"{what}: unknown field '{key}' (known: {string.Join(", ", node.Select(p => p.Key))})");
            }
            node[name] = v?.DeepClone();
        }
        try
        {
            return node.Deserialize<T>(Json) ?? throw new EdgeException($"{what}: null");
        }
        catch (JsonException ex)
        {
            throw new EdgeException($"{what}: {ex.Message}", ex);
        }
    }

    private static RegressionManifest ReadManifest(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RegressionManifest>(File.ReadAllText(path), Json) ?? throw new EdgeException($"golden manifest {path} is empty");
        }
        catch (JsonException ex)
        {
            throw new EdgeException($"golden manifest {path} is corrupt: {ex.Message}", ex);
        }
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"golden file missing: {path} (restore it from git, or rewrite the goldens with --update --reason \"...\")");
        }
    }

    /// <summary>The text of a golden or output file, gunzipped when it ends in .gz. With a manifest, the content must
    /// have the sha256 recorded for it.</summary>
    private static string ReadText(string path, RegressionManifest? manifest)
    {
        RequireFile(path);
        string text;
        try
        {
            if (path.EndsWith(".gz", StringComparison.Ordinal))
            {
                using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
                using var reader = new StreamReader(gz, Encoding.UTF8);
                text = reader.ReadToEnd();
            }
            else
            {
                text = File.ReadAllText(path);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new EdgeException($"golden file {path} is corrupt: {ex.Message}", ex);
        }
        if (manifest is not null && manifest.Files.TryGetValue(Path.GetFileName(path), out string? expected) && expected != Sha256(text))
        {
            throw new EdgeException($"golden file {path} does not match the sha256 in its manifest.json (corrupted or edited by hand; restore it or rewrite the goldens with --update)");
        }
        return text;
    }

    private static IReadOnlyList<RegressionFrame> ReadFrames(string path, RegressionManifest? manifest)
    {
        using var reader = new StringReader(ReadText(path, manifest));
        return RegressionJsonlReader.Read(reader, path);
    }

    private static IReadOnlyList<MotRecord> ReadTracks(string path, RegressionManifest? manifest)
    {
        using var reader = new StringReader(ReadText(path, manifest));
        return MotChallengeReader.Read(reader, path).Rows;
    }

    private static RegressionStatistics ReadStats(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RegressionStatistics>(ReadText(path, null), Json) ?? throw new EdgeException($"golden file {path} is empty");
        }
        catch (JsonException ex)
        {
            throw new EdgeException($"golden file {path} is corrupt: {ex.Message}", ex);
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void WriteGoldens(string goldenDir, string outDir, RegressionManifest? previous, RegressionConfig cfg, RegressionTolerances tolerances, ReplayRun run, string reason, string source)
    {
        Directory.CreateDirectory(goldenDir);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in new[] { FramesFile, TracksFile })
        {
            string text = File.ReadAllText(Path.Combine(outDir, name));
            // mtime 0 and no file name in the header: the same content gives the same bytes.
            using (var file = File.Create(Path.Combine(goldenDir, name + ".gz")))
            using (var gz = new GZipStream(file, CompressionLevel.SmallestSize))
            {
                gz.Write(Encoding.UTF8.GetBytes(text));
            }
            files[name + ".gz"] = Sha256(text);
        }
        File.Copy(Path.Combine(outDir, StatsFile), Path.Combine(goldenDir, StatsFile), overwrite: true);
        var manifest = new RegressionManifest
        {
            Reason = reason,
            Created = DateTimeOffset.UtcNow,
            Source = Path.GetFileName(source),
            ModelName = run.ModelName,
            ModelSha256 = run.ModelSha256,
            ExecutionProvider = run.ExecutionProvider,
            Config = cfg,
            Tolerances = tolerances,
            Files = files,
            Review = previous is null ? [] : previous.Review.Select(r => r.StartsWith("(earlier golden", StringComparison.Ordinal) ? r
                : $"(earlier golden of {previous.Created:yyyy-MM-dd}, re-check) {r}").ToList(),
            History = previous is null ? [] : [$"{previous.Created:yyyy-MM-dd}: {previous.Reason}", .. previous.History],
        };
        File.WriteAllText(Path.Combine(goldenDir, ManifestFile), JsonSerializer.Serialize(manifest, Json) + "\n");
    }
}
