using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Capture;
using Edge.Evaluation;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Tracking;
using Spectre.Console;

namespace Edge.Cli.Commands;

/// <summary><c>edge follow-eval</c>: the Follow Me evaluation of docs/follow-me.md on MOTChallenge sequences.</summary>
public static class FollowEvalCommand
{
    private static readonly string[] Ingredients = ["coasting", "gating", "covisible", "birth-gate", "track-return", "hidden-point", "appearance", "tracker-appearance", "camera-motion"];

    public static Command Create()
    {
        var gt = new Option<DirectoryInfo>("--gt")
        {
            Description = "Folder of MOTChallenge sequences (<seq>/gt/gt.txt, <seq>/det/det.txt, <seq>/seqinfo.ini), or one sequence folder.",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (rates as fractions)." };
        var baseline = new Option<DirectoryInfo?>("--baseline-ids")
        {
            Description = "Baseline: follow the track id of fixed MOTChallenge result files (<folder>/<seq>.txt) chosen at the lock frame; no re-acquisition, no predicted boxes.",
        };
        var replay = new Option<DirectoryInfo?>("--replay")
        {
            Description = "Feed fixed result files (<folder>/<seq>.txt) to the lock instead of running Edge's tracker on det/det.txt.",
        };
        var oracle = new Option<bool>("--oracle")
        {
            Description = "Score an identity oracle instead of the lock: every frame the tracker's box that overlaps the target most, or the last such track's prediction (--without coasting: none). The best any lock can do on these tracks.",
        };
        var without = new Option<string[]>("--without")
        {
            Description = $"Switch lock ingredients off to measure them: {string.Join(", ", Ingredients)}.",
            AllowMultipleArgumentsPerToken = true,
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Override lock settings, e.g. --set GateRadius=0.4 SearchSeconds=3 (names of FollowOptions).",
            AllowMultipleArgumentsPerToken = true,
        };
        var targets = new Option<FileInfo?>("--targets")
        {
            Description = "Also write one CSV row per target (lock frame and visibility, scored/correct/wrong/none frames, re-acquisitions): where the wrong frames come from.",
        };
        var appearance = new Option<string>("--appearance")
        {
            Description = "Feed the tracker and the lock appearance rows simulated from the ground truth with a model calibrated on real frames: none, osnet (the re-id model) or histogram (--without tracker-appearance: the lock only). An estimate of what appearance changes (MOT data has no images), not a measurement.",
            DefaultValueFactory = _ => "none",
        };
        appearance.AcceptOnlyFromAmong("none", "osnet", "histogram");
        var reid = new Option<string>("--reid")
        {
            Description = "Appearance from each sequence's own frames (<seq>/img1/, MOTChallenge layout), computed for every detection as edge follow computes it and fed to the tracker and the lock: 'histogram' (colour histogram, edge follow's default), a re-id model name or path (as edge follow --reid, e.g. osnet_x0_25_msmt17) or 'none'. Sequences without images are scored on motion alone; giving --reid then is an error.",
            DefaultValueFactory = _ => "histogram",
        };
        var command = new Command("follow-eval", "Score Follow Me on MOTChallenge ground truth: correct / wrong-person / none rates and re-acquisitions (docs/follow-me.md).");
        command.Options.Add(gt);
        command.Options.Add(json);
        command.Options.Add(baseline);
        command.Options.Add(replay);
        command.Options.Add(oracle);
        command.Options.Add(without);
        command.Options.Add(set);
        command.Options.Add(targets);
        command.Options.Add(appearance);
        command.Options.Add(reid);
        command.SetAction((parse, ct) => Task.FromResult(Run(
            parse.GetValue(gt)!, parse.GetValue(json), parse.GetValue(baseline), parse.GetValue(replay), parse.GetValue(oracle), parse.GetValue(without) ?? [], parse.GetValue(set) ?? [], parse.GetValue(targets),
            SimulatedAppearanceSetup.Parse(parse.GetValue(appearance)!), parse.GetValue(reid)!, parse.GetResult(reid) is { Implicit: false }, ct)));
        return command;
    }

    private static int Run(DirectoryInfo gtRoot, bool json, DirectoryInfo? baseline, DirectoryInfo? replay, bool oracle, string[] without, string[] set, FileInfo? targetsCsv,
        SimulatedAppearanceSetup? appearance, string reid, bool reidGiven, CancellationToken ct)
    {
        if (baseline is not null && replay is not null)
        {
            throw new EdgeException("--baseline-ids and --replay are alternatives; give one.");
        }
        if (oracle && baseline is not null)
        {
            throw new EdgeException("--oracle and --baseline-ids are alternatives; give one.");
        }
        if (appearance is not null && (baseline ?? replay) is not null)
        {
            throw new EdgeException("--appearance needs Edge's tracker; it cannot be combined with --baseline-ids or --replay.");
        }
        if (reidGiven && (appearance is not null || (baseline ?? replay) is not null))
        {
            throw new EdgeException("--reid reads appearance from the sequences' images for Edge's tracker; it cannot be combined with --appearance, --baseline-ids or --replay.");
        }
        string[] switchedOff = [.. without.SelectMany(w => w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(i => i.ToLowerInvariant())];
        FollowOptions LockOptions(FollowOptions start) => ApplySet(ApplyWithout(start, switchedOff), set);
        FollowOptions options = LockOptions(appearance?.Lock(new FollowOptions()) ?? new FollowOptions());
        bool trackerAppearance = !switchedOff.Contains("tracker-appearance");
        bool cameraMotion = !switchedOff.Contains("camera-motion");
        // Images are read only for Edge's tracker without simulated rows; the appearance source is resolved once, when
        // the first sequence with images needs it.
        bool readImages = appearance is null && (baseline ?? replay) is null;
        var imageAppearance = new Lazy<ImageAppearanceSetup?>(() => switchedOff.Contains("appearance") ? null : ImageAppearanceSetup.Parse(reid));
        FollowPolicy policy = oracle ? FollowPolicy.IdentityOracle : baseline is null ? FollowPolicy.Lock : FollowPolicy.FixedTrackId;
        DirectoryInfo? results = baseline ?? replay;
        List<string> sequences = MotSequenceFolders.Find(gtRoot, "--gt");

        var perSequence = new List<(string Name, FollowEvalCounts Counts)>();
        var perTarget = new List<(string Sequence, FollowTargetResult Result)>();
        var withImages = new List<string>();
        foreach (string sequenceDir in sequences)
        {
            ct.ThrowIfCancellationRequested();
            string name = Path.GetFileName(sequenceDir);
            var info = SequenceInfo.ReadFile(Path.Combine(sequenceDir, "seqinfo.ini"));
            if (info.FrameRate <= 0 || info.ImageWidth <= 0 || info.ImageHeight <= 0)
            {
                throw new EdgeException($"{sequenceDir}/seqinfo.ini: follow-eval needs frameRate, imWidth and imHeight.");
            }
            FollowTruthBox[][] truth = FollowEvaluation.ReadTruth(Path.Combine(sequenceDir, "gt", "gt.txt"), info.Length);
            string detPath = Path.Combine(sequenceDir, "det", "det.txt");
            string imageDir = Path.Combine(sequenceDir, info.ImageDirectory);
            FollowOptions sequenceOptions = options;
            FollowSequence sequence;
            if (results is not null)
            {
                sequence = new FollowSequence(name, (float)info.FrameRate, info.ImageWidth, info.ImageHeight, truth, ReadResultsAsTracks(Path.Combine(results.FullName, name + ".txt"), info.Length));
            }
            else if (readImages && Directory.Exists(imageDir))
            {
                ImageAppearanceSetup? source = imageAppearance.Value;
                sequenceOptions = LockOptions(source?.Lock(new FollowOptions()) ?? new FollowOptions());
                sequence = ReplayImages(name, imageDir, detPath, info, truth, source, trackerAppearance, cameraMotion, json, ct);
                withImages.Add(name);
            }
            else
            {
                if (reidGiven)
                {
                    throw new EdgeException($"{name}: --reid needs the sequence's images; no folder {imageDir}.");
                }
                var (tracks, rows) = RunTracker(detPath, truth, info.FrameRate, appearance, trackerAppearance, ct);
                sequence = new FollowSequence(name, (float)info.FrameRate, info.ImageWidth, info.ImageHeight, truth, tracks, rows, appearance?.Model.Dimension ?? 0);
            }
            IReadOnlyList<FollowTargetResult> targetResults = FollowEvaluation.EvaluateTargets(sequence, policy, sequenceOptions, ct);
            perTarget.AddRange(targetResults.Select(r => (name, r)));
            perSequence.Add((name, FollowEvalCounts.Sum(targetResults.Select(r => r.Counts))));
        }
        if (targetsCsv is not null)
        {
            WriteTargets(targetsCsv, perTarget);
        }
        var overall = FollowEvalCounts.Sum(perSequence.Select(s => s.Counts));
        if (overall.Targets == 0)
        {
            // All-zero rates would read as a follower that never follows anyone.
            throw new EdgeException($"{gtRoot.FullName}: no targets. Follow Me is scored on pedestrians (class 1, or every box of 2D MOT 2015 ground truth) with flag 1 present in at least {FollowEvaluation.MinTargetFrames} frames; none of the {sequences.Count} sequence(s) has one.");
        }

        if (json)
        {
            var document = new Dictionary<string, object>
            {
                ["policy"] = policy switch { FollowPolicy.Lock => "lock", FollowPolicy.FixedTrackId => "fixed-track-id", _ => "identity-oracle" },
                ["tracks"] = results is null ? "edge-tracker" : results.FullName,
                ["without"] = without,
                ["appearance"] = appearance is not null ? $"simulated {appearance.Name}"
                    : withImages.Count > 0 ? $"{imageAppearance.Value?.Name ?? "none"} from images" : "none",
                ["sequences_with_images"] = withImages,
                ["overall"] = ToJson(overall),
                ["sequences"] = perSequence.ToDictionary(s => s.Name, s => ToJson(s.Counts)),
            };
            Console.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
            return 0;
        }
        var table = new Table().AddColumns("sequence", "targets", "locked", "scored", "correct", "wrong", "none", "re-acq", "re-acq ok", "re-acq wrong", "latency (frames)", "lost");
        foreach (var (name, c) in perSequence.Append(("overall", overall)))
        {
            table.AddRow(name, c.Targets.ToString(CultureInfo.InvariantCulture), c.LockedTargets.ToString(CultureInfo.InvariantCulture),
                c.ScoredFrames.ToString(CultureInfo.InvariantCulture), c.CorrectRate.ToString("0.000", CultureInfo.InvariantCulture),
                c.WrongRate.ToString("0.000", CultureInfo.InvariantCulture), c.NoneRate.ToString("0.000", CultureInfo.InvariantCulture),
                c.Reacquisitions.ToString(CultureInfo.InvariantCulture), c.CorrectReacquisitions.ToString(CultureInfo.InvariantCulture),
                c.WrongReacquisitions.ToString(CultureInfo.InvariantCulture), c.MeanReacquisitionLatencyFrames.ToString("0.0", CultureInfo.InvariantCulture),
                c.LostEvents.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static Dictionary<string, object> ToJson(FollowEvalCounts c) => new()
    {
        ["correct"] = Math.Round(c.CorrectRate, 4),
        ["wrong"] = Math.Round(c.WrongRate, 4),
        ["none"] = Math.Round(c.NoneRate, 4),
        ["reacquisitions"] = c.Reacquisitions,
        ["correct_reacquisitions"] = c.CorrectReacquisitions,
        ["wrong_reacquisitions"] = c.WrongReacquisitions,
        ["mean_reacquisition_latency_frames"] = Math.Round(c.MeanReacquisitionLatencyFrames, 2),
        ["lost"] = c.LostEvents,
        ["correct_frames_while_searching"] = c.CorrectWhileSearching,
        ["wrong_frames_while_searching"] = c.WrongWhileSearching,
        ["occluded_locks"] = new Dictionary<string, object>
        {
            ["targets"] = c.OccludedLocks,
            ["scored_frames"] = c.OccludedLockScored,
            ["correct_frames"] = c.OccludedLockCorrect,
            ["wrong_frames"] = c.OccludedLockWrong,
        },
        ["visible_locks"] = new Dictionary<string, object>
        {
            ["correct"] = Math.Round(Ratio(c.Correct - c.OccludedLockCorrect, c.ScoredFrames - c.OccludedLockScored), 4),
            ["wrong"] = Math.Round(Ratio(c.Wrong - c.OccludedLockWrong, c.ScoredFrames - c.OccludedLockScored), 4),
        },
        ["targets"] = c.Targets,
        ["locked_targets"] = c.LockedTargets,
        ["scored_frames"] = c.ScoredFrames,
        ["correct_frames"] = c.Correct,
        ["wrong_frames"] = c.Wrong,
        ["none_frames"] = c.None,
    };

    private static void WriteTargets(FileInfo file, List<(string Sequence, FollowTargetResult Result)> targets)
    {
        file.Directory?.Create();
        using var writer = new StreamWriter(file.FullName);
        writer.WriteLine("sequence,target,lock_frame,lock_visibility,scored,correct,wrong,none,reacquisitions,wrong_reacquisitions,lost");
        foreach (var (sequence, r) in targets)
        {
            FollowEvalCounts c = r.Counts;
            // Frames as in the ground truth file (1-based); 0 when the rules never locked the target.
            writer.WriteLine(string.Join(',', sequence, r.TargetId, r.LockFrame + 1, r.LockVisibility.ToString("0.00", CultureInfo.InvariantCulture),
                c.ScoredFrames, c.Correct, c.Wrong, c.None, c.Reacquisitions, c.WrongReacquisitions, c.LostEvents));
        }
    }

    private static double Ratio(int n, int d) => d == 0 ? 0d : (double)n / d;

    private static FollowOptions ApplyWithout(FollowOptions options, string[] ingredients)
    {
        foreach (string item in ingredients)
        {
            options = item switch
            {
                "coasting" => options with { Coasting = false },
                "gating" => options with { MotionGating = false },
                "covisible" => options with { ExcludeCoVisible = false },
                "birth-gate" => options with { GateAtBirth = false },
                "hidden-point" => options with { HiddenPointSeconds = 0f },
                "appearance" => options with { UseAppearance = false },
                "tracker-appearance" => options, // a tracker setting, read by Run
                "camera-motion" => options with { UseCameraMotion = false },
                "track-return" => options with { TrustTrackReturn = false },
                _ => throw new EdgeException($"--without: unknown ingredient '{item}' (known: {string.Join(", ", Ingredients)})."),
            };
        }
        return options;
    }

    private static FollowOptions ApplySet(FollowOptions options, string[] set)
    {
        foreach (string item in set)
        {
            string[] kv = item.Split('=', 2);
            if (kv.Length != 2 || !float.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
            {
                throw new EdgeException($"--set: expected Name=number, got '{item}'.");
            }
            options = kv[0].Trim() switch
            {
                nameof(FollowOptions.SearchSeconds) => options with { SearchSeconds = v },
                nameof(FollowOptions.CoastSeconds) => options with { CoastSeconds = v },
                nameof(FollowOptions.GateRadius) => options with { GateRadius = v },
                nameof(FollowOptions.GateGrowthPerSecond) => options with { GateGrowthPerSecond = v },
                nameof(FollowOptions.SizeGate) => options with { SizeGate = v },
                nameof(FollowOptions.PointTolerance) => options with { PointTolerance = v },
                nameof(FollowOptions.PointWaitSeconds) => options with { PointWaitSeconds = v },
                nameof(FollowOptions.HiddenPointSeconds) => options with { HiddenPointSeconds = v },
                nameof(FollowOptions.VelocityGate) => options with { VelocityGate = v },
                nameof(FollowOptions.ReacquireThreshold) => options with { ReacquireThreshold = v },
                nameof(FollowOptions.ReturnMinScore) => options with { ReturnMinScore = v },
                nameof(FollowOptions.ReturnMaxOverlap) => options with { ReturnMaxOverlap = v },
                nameof(FollowOptions.AmbiguityRatio) => options with { AmbiguityRatio = v },
                nameof(FollowOptions.ConfirmFrames) => options with { ConfirmFrames = (int)v },
                nameof(FollowOptions.AppearanceWeight) => options with { AppearanceWeight = v },
                nameof(FollowOptions.MinAppearanceSimilarity) => options with { MinAppearanceSimilarity = v },
                nameof(FollowOptions.AppearanceSwitchFrames) => options with { AppearanceSwitchFrames = (int)v },
                nameof(FollowOptions.VouchSimilarity) => options with { VouchSimilarity = v },
                nameof(FollowOptions.AppearanceMinScore) => options with { AppearanceMinScore = v },
                _ => throw new EdgeException($"--set: unknown setting '{kv[0]}'."),
            };
        }
        options.Validate();
        return options;
    }

    /// <summary>A fixed results file as tracker output: every row a confirmed track matched in its frame.</summary>
    private static TrackView[][] ReadResultsAsTracks(string path, int length)
    {
        var frames = NewFrames<TrackView>(length);
        foreach (MotRecord row in MotChallengeReader.ReadFile(path).Rows)
        {
            if (row.Frame <= length)
            {
                var list = frames[row.Frame - 1];
                list.Add(new TrackView(row.Id, row.Box, (float)row.Confidence, 0, TrackState.Confirmed, 0, list.Count, 0f, 0f));
            }
        }
        return [.. frames.Select(l => l.ToArray())];
    }

    /// <summary>Runs Edge's ByteTracker on det/det.txt and keeps every frame's full output, with each track's
    /// appearance row (its matched detection's, zeros otherwise) when appearance is simulated.</summary>
    private static (TrackView[][] Tracks, float[][]? Rows) RunTracker(string detPath, FollowTruthBox[][] truth, double frameRate, SimulatedAppearanceSetup? appearance,
        bool trackerAppearance, CancellationToken ct)
    {
        int length = truth.Length;
        List<Detection.Detection>[] detections = ReadDetections(detPath, length);
        var tracker = new ByteTracker(appearance?.Tracker(FollowTracker, trackerAppearance) ?? FollowTracker, frameRate);
        var simulated = appearance is null ? null : new SimulatedAppearance(appearance.Model, seed: 1);
        int dimension = simulated?.Dimension ?? 0;
        var frames = new TrackView[length][];
        var rows = simulated is null ? null : new float[length][];
        for (int f = 0; f < length; f++)
        {
            ct.ThrowIfCancellationRequested();
            Detection.Detection[] frame = [.. detections[f]];
            var context = TrackerFrameContext.None;
            float[] detectionRows = [];
            if (simulated is not null)
            {
                detectionRows = new float[frame.Length * dimension];
                simulated.Observe(truth[f], [.. frame.Select(d => d.Box)], detectionRows);
                context = new TrackerFrameContext(Affine2D.Identity, detectionRows, dimension);
            }
            frames[f] = tracker.Update(frame, context).ToArray();
            if (rows is not null)
            {
                rows[f] = new float[frames[f].Length * dimension];
                FollowFrameInput.WriteTrackRows(frames[f], detectionRows, dimension, rows[f]);
            }
        }
        return (frames, rows);
    }

    /// <summary>Follow Me wants few identity errors more than long tracks: ByteTrack's 1 s buffer with OC-SORT's
    /// re-update, not the project default's 2 s buffer and low-score recovery of lost tracks (which the lock does
    /// itself, with its own gate; measured in docs/follow-me.md).</summary>
    private static readonly TrackerOptions FollowTracker = TrackerOptions.Default with { TrackBufferSeconds = 1.0, LowScoreRecoversLost = false, ObservationCentricReUpdate = true };

    /// <summary>det/det.txt as person detections per frame (index 0 = frame 1).</summary>
    private static List<Detection.Detection>[] ReadDetections(string detPath, int length)
    {
        var detections = NewFrames<Detection.Detection>(length);
        foreach (MotRecord row in MotChallengeReader.ReadFile(detPath).Rows)
        {
            if (row.Frame <= length)
            {
                detections[row.Frame - 1].Add(new Detection.Detection(row.Box, (float)row.Confidence, 0));
            }
        }
        return detections;
    }

    /// <summary>Replays det/det.txt with the sequence's frames through the tracking step of <c>edge follow</c>
    /// (<see cref="FollowReplay"/>): the camera motion estimated from the frames and, with a source, every
    /// detection's appearance (every crop embedded: the product's re-id budget puts the target first, which needs one
    /// pass per target; on vtest.avi the two agree, docs/follow-me.md).</summary>
    private static FollowSequence ReplayImages(string name, string imageDir, string detPath, SequenceInfo info, FollowTruthBox[][] truth,
        ImageAppearanceSetup? appearance, bool fuse, bool cameraMotion, bool quiet, CancellationToken ct)
    {
        List<Detection.Detection>[] detections = ReadDetections(detPath, truth.Length);
        TrackerOptions options = (appearance?.Tracker(FollowTracker, fuse) ?? FollowTracker with { Appearance = false }) with { CameraMotionCompensation = cameraMotion };
        double frameRate = info.FrameRate;
        using var frames = ImageSequenceSource.OpenFolder(imageDir, frameRate);
        using var tracking = new TrackingAnalyzer(new ByteTracker(options, frameRate), options.CameraMotionCompensation, appearance?.CreateEmbedder(), schedule: null, embedClasses: [0]);
        FollowSequence? sequence = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress().AutoClear(quiet).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape($"{name} ({appearance?.Name ?? "no appearance"})"), maxValue: truth.Length);
                sequence = FollowReplay.Run(name, frames, detections, truth, tracking, progress: new InlineProgress<int>(n => task.Value = n), cancellationToken: ct);
            });
        return sequence!;
    }

    private static List<T>[] NewFrames<T>(int length) => [.. Enumerable.Range(0, length).Select(_ => new List<T>())];
}
