using System.CommandLine;
using System.Globalization;
using Edge.Capture;
using Edge.Detection;
using Edge.Pipeline;
using Edge.Recording;
using Edge.Sinks;
using Spectre.Console;

namespace Edge.Cli;

/// <summary>The options every video verb shares (detect, track, follow) and the run they share: open the source
/// and the detector, run the pipeline with a progress bar, complete the sinks, print per-stage latencies.</summary>
public sealed class VideoRunOptions
{
    public const string DefaultModel = "yolov8n_w8dq";

    public Option<string> Source { get; } = new("--source", "-s") { Description = "Video file, image, image folder, camera index or /dev/videoN, rtsp:// or http:// URL, or a GStreamer pipeline ending in appsink (or prefixed gst:).", Required = true };
    public Option<string> Model { get; } = new("--model", "-m") { Description = "Model name (looked up in EDGE_MODELS_DIR and models/) or path to an .onnx file.", DefaultValueFactory = _ => DefaultModel };
    public Option<string[]> Classes { get; }
    public Option<float> Confidence { get; } = new("--conf") { Description = "Score threshold.", DefaultValueFactory = _ => 0.25f };
    public Option<float> Iou { get; } = new("--iou") { Description = "NMS IoU threshold.", DefaultValueFactory = _ => 0.7f };
    public Option<string?> Video { get; } = new("--video") { Description = "Annotated video (.mp4 mp4v or .avi MJPG) at the source frame rate." };
    public Option<long?> MaxFrames { get; } = new("--max-frames") { Description = "Stop after this many frames." };
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads (0: one per core)." };
    public Option<bool> Realtime { get; } = new("--realtime") { Description = "Read a file at its own frame rate, like a camera: frames the detector has no time for are dropped (counted)." };
    public Option<bool> Loop { get; } = new("--loop") { Description = "Start a video file or image folder over when it ends (stop with Ctrl+C or --max-frames)." };
    public Option<string?> Record { get; } = new("--record") { Description = "Record the frames processed (lossless FFV1 .avi or .mkv) with a frame,seconds sidecar, for replay with edge regress." };

    public VideoRunOptions(string[]? defaultClasses = null)
    {
        Classes = new Option<string[]>("--classes") { Description = "Class names or ids to keep (e.g. person); default " + (defaultClasses is { Length: > 0 } ? string.Join(' ', defaultClasses) : "all") + ".", AllowMultipleArgumentsPerToken = true };
        if (defaultClasses is { Length: > 0 })
        {
            Classes.DefaultValueFactory = _ => defaultClasses;
        }
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Source, Model, Classes, Confidence, Iou, Video, MaxFrames, Threads, Realtime, Loop, Record })
        {
            command.Options.Add(option);
        }
    }

    public DetectorOptions DetectorOptions(ParseResult parse)
    {
        float conf = parse.GetValue(Confidence), iou = parse.GetValue(Iou);
        if (!(conf is >= 0 and < 1))
        {
            throw new EdgeException($"--conf must be in [0, 1); got {conf}");
        }
        if (!(iou is > 0 and <= 1))
        {
            throw new EdgeException($"--iou must be in (0, 1]; got {iou}");
        }
        if (parse.GetValue(Threads) is < 0 and int threads)
        {
            throw new EdgeException($"--threads must be 0 (one per core) or positive; got {threads}");
        }
        return new DetectorOptions
        {
            Model = parse.GetValue(Model) ?? DefaultModel,
            ScoreThreshold = conf,
            IouThreshold = iou,
            Classes = parse.GetValue(Classes) ?? [],
            IntraOpThreads = parse.GetValue(Threads),
        };
    }

    /// <summary>Opens --source: live sources reconnect with backoff when lost, files loop with --loop.</summary>
    public IFrameSource OpenSource(ParseResult parse) =>
        FrameSourceFactory.Open(parse.GetValue(Source)!, new SourceOptions { Loop = parse.GetValue(Loop) });

    /// <summary>Pipeline settings from --max-frames and --realtime; sinks wait (lossless) unless the run is live or
    /// real time.</summary>
    public DetectionPipelineOptions PipelineOptions(ParseResult parse)
    {
        return new DetectionPipelineOptions { MaxFrames = MaxFramesValue(parse), Realtime = parse.GetValue(Realtime) };
    }

    /// <summary>Puts a <see cref="FrameRecorder"/> first in <paramref name="sinks"/> when <c>--record</c> is given: sinks
    /// run in order and later ones may draw on the frame.</summary>
    public void AddRecorder(ParseResult parse, List<IFrameSink> sinks, double fps)
    {
        if (parse.GetValue(Record) is { Length: > 0 } path)
        {
            sinks.Insert(0, new FrameRecorder(path, fps));
        }
    }

    /// <summary>Refuses a run whose files overlap, before anything is opened: --source (when it is a file),
    /// <paramref name="outputs"/> (the verb's own, e.g. <c>("--out", path)</c>), --video, --record and its sidecar.
    /// Each output truncates its file, so a collision silently destroys the source video or another output.</summary>
    public void CheckDistinctFiles(ParseResult parse, params (string Option, string? Path)[] outputs)
    {
        var files = new List<(string Option, string? Path)>();
        string source = parse.GetValue(Source)!;
        if (File.Exists(source))
        {
            files.Add(("--source", source));
        }
        files.AddRange(outputs);
        files.Add(("--video", parse.GetValue(Video)));
        if (parse.GetValue(Record) is { Length: > 0 } record)
        {
            files.Add(("--record", record));
            files.Add(("the --record sidecar (.frames.csv)", RecordingTimestamps.SidecarPath(record)));
        }
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, path) in files)
        {
            if (path is not { Length: > 0 })
            {
                continue;
            }
            string full = Path.GetFullPath(path);
            if (!seen.TryAdd(full, option))
            {
                throw new EdgeException($"{option} and {seen[full]} name the same file: {full}");
            }
        }
    }

    public long? MaxFramesValue(ParseResult parse) => parse.GetValue(MaxFrames) is long m && m < 1
        ? throw new EdgeException($"--max-frames must be at least 1; got {m}")
        : parse.GetValue(MaxFrames);

    /// <summary>A console over the current <see cref="Console.Out"/> (not the process-wide singleton, which keeps the
    /// writer it first saw), so in-process callers that redirect the console see the output.</summary>
    public static IAnsiConsole CreateConsole() => RedirectedConsoleWidth.Apply(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }));

    /// <summary>Runs the pipeline over <paramref name="source"/> with a progress bar and prints the summary.</summary>
    public static async Task<PipelineStatistics> RunAsync(
        string verb,
        IFrameSource source,
        IObjectDetector detector,
        IReadOnlyList<IFrameAnalyzer> analyzers,
        IReadOnlyList<IFrameSink> sinks,
        DetectionPipelineOptions options,
        IAnsiConsole console,
        CancellationToken ct)
    {
        long? maxFrames = options.MaxFrames;
        var pipeline = new DetectionPipeline(detector, analyzers, sinks, options);
        long? total = source.FrameCount is int count ? Math.Min(count, maxFrames ?? long.MaxValue) : maxFrames;
        console.MarkupLine(CultureInfo.InvariantCulture,
            "[grey]{0}: {1}x{2} @ {3:0.##} fps{4} | model {5} ({6}x{7}, {8})[/]",
            Markup.Escape(source.Name), source.Width, source.Height, source.Fps,
            total is long t ? $", {t} frames" : source.IsLive ? ", live" : "",
            Markup.Escape(detector.Model.Name), detector.Model.InputWidth, detector.Model.InputHeight, detector.ExecutionProvider);

        PipelineStatistics statistics = null!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(verb, maxValue: total ?? 1);
                task.IsIndeterminate = total is null;
                long completed = 0;
                pipeline.FrameCompleted = result =>
                {
                    task.Increment(1);
                    // The description is a new string; refresh it a few times a second, not every frame.
                    if (completed++ % 5 == 0)
                    {
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"{verb} {result.PipelineFps,5:0.0} fps");
                    }
                };
                statistics = await pipeline.RunAsync(source, ct).ConfigureAwait(false);
                task.StopTask();
            }).ConfigureAwait(false);
        WriteSummary(console, statistics);
        if (statistics.FramesDropped > 0 || statistics.Sinks.Any(s => s.Dropped > 0))
        {
            console.MarkupLine(CultureInfo.InvariantCulture, "[yellow]dropped: {0} of {1} captured frames (detector busy){2}[/]",
                statistics.FramesDropped, statistics.FramesCaptured,
                string.Concat(statistics.Sinks.Where(s => s.Dropped > 0).Select(s => $"; {Markup.Escape(s.Name)} {s.Dropped}")));
        }
        if (source is ReconnectingFrameSource { Status.Reconnects: > 0 } reconnecting)
        {
            console.MarkupLine(CultureInfo.InvariantCulture, "[yellow]source reconnected {0} time(s); last error: {1}[/]",
                reconnecting.Status.Reconnects, Markup.Escape(reconnecting.Status.LastError ?? ""));
        }
        return statistics;
    }

    /// <summary>Frames, throughput and mean/p50/p95 per stage.</summary>
    public static void WriteSummary(IAnsiConsole console, PipelineStatistics statistics)
    {
        var table = new Table().Title($"{statistics.Frames} frames in {statistics.Elapsed.TotalSeconds:0.0} s = {statistics.Fps:0.00} fps")
            .AddColumn("stage").AddColumn(new TableColumn("mean ms").RightAligned())
            .AddColumn(new TableColumn("p50 ms").RightAligned()).AddColumn(new TableColumn("p95 ms").RightAligned());
        foreach (var stage in statistics.Stages)
        {
            if (stage.Count == 0)
            {
                continue;
            }
            table.AddRow(stage.Name.ToLowerInvariant(),
                stage.Mean.ToString("0.00", CultureInfo.InvariantCulture),
                stage.P50.ToString("0.00", CultureInfo.InvariantCulture),
                stage.P95.ToString("0.00", CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }

    /// <summary>Disposes the sinks and analyzers a verb created.</summary>
    public static void DisposeAll(IEnumerable<IDisposable> items)
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}
