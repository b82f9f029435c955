using System.Globalization;
using Edge.Appearance;
using Edge.Bench.Appearance;
using Edge.Capture;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Bench.FollowMe;

/// <summary><c>follow-video &lt;video&gt; &lt;detections.jsonl&gt; &lt;gt.txt&gt; [osnet model]</c>: the Follow Me
/// evaluation of docs/follow-me.md on a recorded video with ground truth (vtest.avi, labelled by eye:
/// bench/data/vtest-follow), so appearance is measured on real pixels instead of estimated. The detections of
/// <c>edge detect --out</c> are replayed with the video's frames through <see cref="TrackingAnalyzer"/> exactly as
/// <c>edge follow</c> runs it (Edge's default tracker, camera-motion estimate, appearance rows of the matched
/// detections), once per configuration; <see cref="FollowEvaluation"/> then scores every target with the same rules
/// as <c>follow-eval</c>. Configurations: no appearance; the colour histogram for the lock only, and for the lock and
/// the tracker (<c>edge follow</c>); OSNet for the lock only, for both with every crop embedded, with the budget of
/// <c>edge follow --reid</c> but without the lock's demand (one pass shared by every target), and as
/// <c>edge follow --reid</c> runs it: budgeted, with the lock's <see cref="AppearanceDemand"/>, one pass per target.</summary>
public static class VideoFollowEvaluation
{
    /// <param name="Schedule">Null embeds every detection every frame; otherwise the <see cref="EmbeddingScheduler"/>
    /// picks the crops as in <c>edge follow --reid</c>.</param>
    /// <param name="PerTarget">The budget goes to the lock's target and candidates first (<see cref="AppearanceDemand"/>),
    /// so each target needs a pass of its own: the product path of <c>edge follow --reid</c>. Otherwise one tracking
    /// pass is shared by every target and the scheduler never hears from the lock.</param>
    private sealed record Config(string Name, Func<IAppearanceEmbedder?> Embedder, bool Fuse, bool Reid, EmbeddingScheduleOptions? Schedule = null, bool PerTarget = false);

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: follow-video <video> <detections.jsonl> <gt.txt> [osnet model path]");
            return 2;
        }
        string video = args[0];
        var detections = ReacquisitionStudy.LoadDetections(args[1]);
        string? osnet = args.Length > 3 ? args[3] : null;
        var configs = new List<Config>
        {
            new("none", () => null, false, false),
            new("histogram, lock", () => new ColorHistogramEmbedder(), false, false),
            new("histogram, lock and tracker (edge follow)", () => new ColorHistogramEmbedder(), true, false),
        };
        if (osnet is not null)
        {
            configs.Add(new("osnet, lock", () => new OnnxReidEmbedder(osnet), false, true));
            configs.Add(new("osnet, lock and tracker (edge follow --reid)", () => new OnnxReidEmbedder(osnet), true, true));
            configs.Add(new("osnet, lock and tracker, 8 crops a frame", () => new OnnxReidEmbedder(osnet), true, true, new EmbeddingScheduleOptions()));
            configs.Add(new("osnet, lock and tracker, 8 crops a frame with the lock's demand (edge follow --reid)", () => new OnnxReidEmbedder(osnet), true, true,
                new EmbeddingScheduleOptions(), PerTarget: true));
        }
        Console.WriteLine("| configuration | targets (locked) | scored | correct | wrong | none | re-acq. (correct / wrong) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (Config config in configs)
        {
            var sequence = Replay(video, detections, args[2], config);
            var options = Options(config, sequence.FrameRate);
            var results = FollowEvaluation.EvaluateTargets(sequence, FollowPolicy.Lock, options);
            if (config.PerTarget)
            {
                results = [.. results.Select(r => OwnPass(video, detections, args[2], config, options, sequence, r))];
            }
            var c = FollowEvalCounts.Sum(results.Select(r => r.Counts));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {config.Name} | {c.Targets} ({c.LockedTargets}) | {c.ScoredFrames} | {c.CorrectRate:0.000} | {c.WrongRate:0.000} | {c.NoneRate:0.000} | {c.Reacquisitions} ({c.CorrectReacquisitions} / {c.WrongReacquisitions}) |"));
            foreach (var r in results)
            {
                var t = r.Counts;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {config.Name} target {r.TargetId}: lock frame {r.LockFrame + 1}, scored {t.ScoredFrames}, correct {t.Correct}, wrong {t.Wrong}, none {t.None}, re-acq. {t.Reacquisitions} ({t.CorrectReacquisitions} / {t.WrongReacquisitions})"));
            }
        }
        return 0;
    }

    private static FollowOptions Options(Config config, float frameRate)
    {
        var options = new FollowOptions { FrameRate = frameRate };
        return config.Reid ? CropModelFactory.ForReid(options) : options;
    }

    /// <summary>Re-runs one target with the lock in the loop, selecting it where the shared pass locked it (the passes
    /// agree up to that frame: without a target the demand is empty). The lock of <see cref="FollowEvaluation"/> then
    /// sees exactly what the online lock saw, so scoring the recorded pass scores the online run.</summary>
    private static FollowTargetResult OwnPass(string video, List<Edge.Detection.Detection>[] detections, string truthPath, Config config,
        FollowOptions options, FollowSequence shared, FollowTargetResult sharedResult)
    {
        if (sharedResult.LockFrame < 0)
        {
            return sharedResult;
        }
        BoxF box = shared.Truth[sharedResult.LockFrame].Single(t => t.Id == sharedResult.TargetId).Box;
        var follow = new FollowAnalyzer(options, FollowAnalyzer.DefaultSteering(SteeringMode.PanTilt), null);
        var sequence = Replay(video, detections, truthPath, config, new FollowReplayTarget(follow, sharedResult.LockFrame, TargetSelection.AtPoint(box.CenterX, box.CenterY)));
        var result = FollowEvaluation.EvaluateTargets(sequence, FollowPolicy.Lock, options).Single(r => r.TargetId == sharedResult.TargetId);
        if (result.LockFrame != sharedResult.LockFrame)
        {
            throw new InvalidOperationException($"target {result.TargetId}: locked at frame {result.LockFrame} on its own pass, {sharedResult.LockFrame} on the shared one.");
        }
        return result;
    }

    /// <summary>One pass of the tracking step over the video (<see cref="FollowReplay"/>) with this configuration's
    /// appearance source; with <paramref name="follow"/>, the lock's demand steers the embedding budget.</summary>
    private static FollowSequence Replay(string video, List<Edge.Detection.Detection>[] detections, string truthPath, Config config,
        FollowReplayTarget? follow = null)
    {
        using var frames = VideoCaptureSource.OpenFile(video);
        var trackerOptions = TrackerOptions.Default with { Appearance = config.Fuse };
        if (config.Reid)
        {
            trackerOptions = CropModelFactory.ForReid(trackerOptions);
        }
        using var tracking = new TrackingAnalyzer(new ByteTracker(trackerOptions, frames.Fps), trackerOptions.CameraMotionCompensation, config.Embedder(),
            config.Schedule, [0]);
        if (follow is not null)
        {
            tracking.Demand = follow.Analyzer.Demand = new AppearanceDemand();
        }
        return FollowReplay.Run(Path.GetFileName(video), frames, detections, FollowEvaluation.ReadTruth(truthPath, detections.Length), tracking, follow);
    }
}
