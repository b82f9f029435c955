using System.Diagnostics;
using System.Globalization;
using Edge.Appearance;
using Edge.Capture;
using Edge.Detection;
using Edge.FollowMe;
using Edge.Models;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Sinks;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Bench.Pipeline;

/// <summary><c>dotnet run -c Release --project bench/Edge.Bench -- pipeline --frames 200</c>: in one process and with one
/// detector (same session, model and thread settings), first times the bare session call (<see cref="IObjectDetector.Infer"/>
/// = <c>InferenceSession.RunWithBinding</c> on pre-bound tensors) N times on one preprocessed frame, then the full
/// pipeline (decode, preprocess, infer, postprocess, optionally <c>edge follow</c>'s tracking and Follow Me analyzers
/// with <c>--follow</c>, or those of <c>edge follow --reid M</c> with <c>--reid M</c>,
/// JSONL sink, optionally the annotated video) over the first N frames of
/// vtest.avi, and prints both fps, their ratio, per-stage latency and managed bytes allocated per frame after warm-up.</summary>
internal static class PipelineEfficiencyRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        int frames = IntArg(args, "--frames", 200);
        int warmup = IntArg(args, "--warmup", 20);
        int threads = IntArg(args, "--threads", 0);
        int inFlight = IntArg(args, "--in-flight", 3);
        string model = StringArg(args, "--model", "yolov8n_w8dq");
        string source = StringArg(args, "--source", BenchData.VideoPath);
        bool video = args.Contains("--video");
        string? reid = args.Contains("--reid") ? StringArg(args, "--reid", "") : null;
        if (reid is "" or ['-', ..])
        {
            throw new EdgeException("--reid needs a model name or path, e.g. --reid osnet_x0_25_msmt17");
        }
        bool follow = args.Contains("--follow") || reid is not null;
        Environment.SetEnvironmentVariable(ModelResolver.EnvironmentVariable,
            Environment.GetEnvironmentVariable(ModelResolver.EnvironmentVariable) ?? BenchData.ModelsDir);

        using var detector = YoloDetector.Create(new DetectorOptions { Model = model, IntraOpThreads = threads });
        Console.WriteLine($"model {detector.Model.Name} {detector.Model.InputWidth}x{detector.Model.InputHeight}, provider {detector.ExecutionProvider}, " +
            $"intra-op threads {(threads == 0 ? "ORT default" : threads.ToString(CultureInfo.InvariantCulture))}, cores {Environment.ProcessorCount}, " +
            $"frames {frames}, in flight {inFlight}, video sink {video}, follow {follow}, reid {reid ?? "none"}");

        // 1. Bare session: the same preprocessed input N times.
        double bareFps;
        using (var slot = detector.CreateSlot())
        using (var frame = new Mat())
        {
            using (var src = FrameSourceFactory.Open(source))
            {
                if (!src.TryRead(frame, out _))
                {
                    throw new EdgeException($"'{source}' has no frames");
                }
            }
            detector.Preprocess(frame, slot);
            for (int i = 0; i < 3; i++)
            {
                detector.Infer(slot);
            }
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < frames; i++)
            {
                detector.Infer(slot);
            }
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            bareFps = frames / seconds;
            Console.WriteLine($"bare Run:  {frames} runs in {seconds:0.00} s = {bareFps:0.000} fps ({1000 / bareFps:0.0} ms/run)");
        }

        // 2. The pipeline over the first N frames.
        string dir = Path.Combine(Path.GetTempPath(), $"edge-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var sinks = new List<IFrameSink> { new JsonlDetectionSink(Path.Combine(dir, "bench.jsonl"), detector.Model.ClassNames) };
        using var src2 = FrameSourceFactory.Open(source);
        if (video)
        {
            sinks.Add(new AnnotatedVideoSink(Path.Combine(dir, "bench.mp4"), src2.Fps, new OverlayRenderer(detector.Model.ClassNames)));
        }
        // --follow: the analyzers of `edge follow --select largest` (default tracker with camera motion and colour
        // histograms, then the lock and steering); --reid <model> those of `edge follow --reid <model>` (re-id
        // embeddings, at most 8 crops a frame, the lock's demand first).
        double fps = src2.Fps > 0 ? src2.Fps : 30;
        var crops = new CropModelSettings { Reid = reid };
        using var tracking = follow ? CropModelFactory.CreateTracking(crops, name => name, "default", fps, detector.Model.ClassNames) : null;
        IFrameAnalyzer[] analyzers = [];
        FollowAnalyzer? followAnalyzer = null;
        if (tracking is not null)
        {
            var lockOptions = CropModelFactory.ForAppearanceSource(crops, new FollowOptions { FrameRate = (float)fps });
            followAnalyzer = new FollowAnalyzer(lockOptions, FollowAnalyzer.DefaultSteering(SteeringMode.PanTilt), TargetSelection.LargestPerson());
            CropModelFactory.Connect(crops, tracking, followAnalyzer);
            analyzers = [tracking, followAnalyzer];
        }
        var pipeline = new DetectionPipeline(detector, analyzers, sinks, new DetectionPipelineOptions { MaxFrames = frames, FramesInFlight = inFlight });
        long allocStart = 0, allocEnd = 0, firstMeasured = -1, lastMeasured = -1, following = 0;
        pipeline.FrameCompleted = r =>
        {
            // Keep the lock busy for the whole run: a target that is given up (Idle) is replaced by the largest
            // person, so the tracking, the lock and the drawn command line are measured on every frame, not only until
            // the first target is lost.
            if (r.Follow is { } status)
            {
                if (status.Detail.State == FollowState.Idle)
                {
                    followAnalyzer!.Select(TargetSelection.LargestPerson());
                }
                else if (r.FrameIndex >= warmup)
                {
                    following++;
                }
            }
            if (r.FrameIndex == warmup)
            {
                allocStart = GC.GetTotalAllocatedBytes(precise: true);
                firstMeasured = r.FrameIndex;
            }
            else if (r.FrameIndex == frames - 1)
            {
                allocEnd = GC.GetTotalAllocatedBytes(precise: true);
                lastMeasured = r.FrameIndex;
            }
        };
        int gen0 = GC.CollectionCount(0);
        PipelineStatistics stats = await pipeline.RunAsync(src2);
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }
        Directory.Delete(dir, recursive: true);

        Console.WriteLine($"pipeline:  {stats.Frames} frames in {stats.Elapsed.TotalSeconds:0.00} s = {stats.Fps:0.000} fps");
        Console.WriteLine($"efficiency (pipeline fps / bare Run fps) = {stats.Fps / bareFps:0.000}");
        if (lastMeasured > firstMeasured && firstMeasured >= 0)
        {
            long n = lastMeasured - firstMeasured;
            Console.WriteLine($"allocated: {allocEnd - allocStart} B over frames {firstMeasured}..{lastMeasured} = {(allocEnd - allocStart) / (double)n:0.0} B/frame (all threads, precise); gen0 GCs during run {GC.CollectionCount(0) - gen0}");
            if (followAnalyzer is not null)
            {
                Console.WriteLine($"follow: a target locked or searched for in {following} of {n + 1} measured frames (re-selected when given up)");
            }
        }
        Console.WriteLine("stage         mean ms   p50 ms   p95 ms");
        foreach (var stage in stats.Stages)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage.Name,-12} {stage.Mean,8:0.00} {stage.P50,8:0.00} {stage.P95,8:0.00}"));
        }
        return 0;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
