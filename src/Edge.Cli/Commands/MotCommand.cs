using System.CommandLine;
using System.Diagnostics;
using Edge.Evaluation;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Cli.Commands;

/// <summary><c>edge mot</c>: run a tracker on MOTChallenge public detections (no images), write MOTChallenge
/// results and optionally score them against the sequence's ground truth.</summary>
public static class MotCommand
{
    /// <summary>Frame rate assumed for 2D MOT 2015 folders, which have no seqinfo.ini (TUD-Campus and
    /// TUD-Stadtmitte are 25 fps in MOTChallenge's listing).</summary>
    public const double DefaultFrameRate = 25;

    public static Command Create()
    {
        var seq = new Option<DirectoryInfo[]>("--seq")
        {
            Description = "MOTChallenge sequence folder(s) (seqinfo.ini, det/det.txt, gt/gt.txt).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var det = new Option<FileInfo?>("--det") { Description = "Detections file (default <seq>/det/det.txt; one sequence only)." };
        var output = new Option<string>("--out") { Description = "Results file, or a folder receiving <SEQ>.txt when several sequences are given.", Required = true };
        var config = new Option<string>("--config") { Description = "reference (ByteTrack's reference run), sort (SORT defaults) or default.", DefaultValueFactory = _ => "default" };
        config.AcceptOnlyFromAmong("reference", "sort", "default");
        var fps = new Option<double?>("--fps") { Description = $"Frame rate when seqinfo.ini is missing (default {DefaultFrameRate})." };
        var high = new Option<float?>("--track-high-thresh") { Description = "track_high_thresh: first-association score threshold." };
        var low = new Option<float?>("--track-low-thresh") { Description = "track_low_thresh: second-association score threshold." };
        var newTrack = new Option<float?>("--new-track-thresh") { Description = "new_track_thresh: minimum score to start a track." };
        var buffer = new Option<double?>("--track-buffer") { Description = "track_buffer in seconds." };
        var bufferFrames = new Option<int?>("--track-buffer-frames") { Description = "track_buffer in frames at 30 fps (ByteTrack/Ultralytics convention)." };
        var match = new Option<float?>("--match-thresh") { Description = "match_thresh: first-association cost limit." };
        var fuse = new Option<bool?>("--fuse-score") { Description = "fuse_score: fuse IoU with the detection score." };
        var oru = new Option<bool?>("--oru") { Description = "OC-SORT observation-centric re-update." };
        var ocm = new Option<bool?>("--ocm") { Description = "OC-SORT observation-centric momentum in the first association." };
        var inertia = new Option<float?>("--inertia") { Description = "OCM weight (OC-SORT inertia, 0.2)." };
        var deltaT = new Option<int?>("--delta-t") { Description = "OCM frames between the observations giving a track's direction (OC-SORT delta_t, 3)." };
        var camera = new Option<string?>("--camera-motion")
        {
            Description = "Overlay a known synthetic camera motion on detections and ground truth: 'pan-zoom' (see docs/tracking.md).",
        };
        camera.AcceptOnlyFromAmong("pan-zoom");
        var cmc = new Option<bool>("--cmc") { Description = "With --camera-motion: give the tracker the true frame-to-frame warp (perfect GMC); false gives none.", DefaultValueFactory = _ => true };
        var legacyIou = new Option<bool?>("--legacy-iou") { Description = "IoU with cython_bbox's +1 pixel convention (ByteTrack's reference)." };
        var lowLost = new Option<bool?>("--low-recovers-lost") { Description = "Low-score detections may also recover lost tracks." };
        var minArea = new Option<float?>("--min-box-area") { Description = "Writer filter: keep boxes with w*h above this (reference/default 10, sort 0)." };
        var maxAspect = new Option<float?>("--max-aspect") { Description = "Writer filter: drop boxes with w/h above this (reference/default 1.6, sort 0 = off)." };
        var score = new Option<bool>("--score") { Description = "Score the results against <seq>/gt/gt.txt (TrackEval rules) and print HOTA/MOTA/IDF1." };

        var command = new Command("mot", "Track public detections of MOTChallenge sequences (no images) and write MOTChallenge results.");
        foreach (var o in new Option[] { seq, det, output, config, fps, high, low, newTrack, buffer, bufferFrames, match, fuse, oru, ocm, inertia, deltaT, camera, cmc, legacyIou, lowLost, minArea, maxAspect, score })
        {
            command.Options.Add(o);
        }
        command.SetAction((parse, ct) =>
        {
            var seqDirs = parse.GetValue(seq)!;
            if (parse.GetValue(fps) is { } rate && !(rate > 0 && double.IsFinite(rate)))
            {
                throw new EdgeException($"--fps must be a frame rate above 0; got {rate}");
            }
            if (parse.GetResult(cmc) is { Implicit: false } && parse.GetValue(camera) is null)
            {
                throw new EdgeException("--cmc applies only with --camera-motion (without it there is no known camera motion to compensate).");
            }
            string name = parse.GetValue(config)!;
            bool sort = name == "sort";
            if (sort && new Option[] { high, low, newTrack, buffer, bufferFrames, match, fuse, oru, ocm, inertia, deltaT, legacyIou, lowLost }
                .FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } byteTrackOnly)
            {
                // SortTracker takes no TrackerOptions: the value would be dropped without a word.
                throw new EdgeException($"{byteTrackOnly.Name} is a ByteTrack option; it does not apply to --config sort.");
            }
            if (parse.GetResult(buffer) is { Implicit: false } && parse.GetResult(bufferFrames) is { Implicit: false })
            {
                throw new EdgeException("--track-buffer (seconds) and --track-buffer-frames set the same buffer; give one of them.");
            }
            var options = name == "reference" ? TrackerOptions.Reference : TrackerOptions.Default;
            double? bufferSeconds = parse.GetValue(buffer);
            options = options with
            {
                TrackHighThresh = parse.GetValue(high) ?? options.TrackHighThresh,
                TrackLowThresh = parse.GetValue(low) ?? options.TrackLowThresh,
                NewTrackThresh = parse.GetValue(newTrack) ?? options.NewTrackThresh,
                TrackBufferSeconds = bufferSeconds ?? options.TrackBufferSeconds,
                TrackBufferFrames = bufferSeconds is not null ? null : parse.GetValue(bufferFrames) ?? options.TrackBufferFrames,
                MatchThresh = parse.GetValue(match) ?? options.MatchThresh,
                FuseScore = parse.GetValue(fuse) ?? options.FuseScore,
                ObservationCentricReUpdate = parse.GetValue(oru) ?? options.ObservationCentricReUpdate,
                ObservationCentricMomentum = parse.GetValue(ocm) ?? options.ObservationCentricMomentum,
                MomentumWeight = parse.GetValue(inertia) ?? options.MomentumWeight,
                MomentumDeltaT = parse.GetValue(deltaT) ?? options.MomentumDeltaT,
                LegacyPixelIoU = parse.GetValue(legacyIou) ?? options.LegacyPixelIoU,
                LowScoreRecoversLost = parse.GetValue(lowLost) ?? options.LowScoreRecoversLost,
            };
            var defaults = sort ? TrackOutputFilter.None : TrackOutputFilter.ByteTrack;
            var filter = new TrackOutputFilter(parse.GetValue(minArea) ?? defaults.MinArea, parse.GetValue(maxAspect) ?? defaults.MaxAspect);
            string outPath = parse.GetValue(output)!;
            bool many = seqDirs.Length > 1;
            if (many && parse.GetValue(det) is not null)
            {
                throw new EdgeException("--det names one detections file; give a single --seq with it.");
            }

            var scored = new List<MotMetrics>();
            foreach (var seqDir in seqDirs)
            {
                if (!seqDir.Exists)
                {
                    throw new EdgeException($"Sequence folder not found: {seqDir.FullName}");
                }
                string detPath = parse.GetValue(det)?.FullName ?? Path.Combine(seqDir.FullName, "det", "det.txt");
                var detections = MotChallengeReader.ReadFile(detPath);
                bool synthetic = parse.GetValue(camera) is not null;
                string gtPath = Path.Combine(seqDir.FullName, "gt", "gt.txt");
                MotFile? gt = File.Exists(gtPath) ? MotChallengeReader.ReadFile(gtPath) : null;
                string iniPath = Path.Combine(seqDir.FullName, "seqinfo.ini");
                var info = File.Exists(iniPath)
                    ? SequenceInfo.ReadFile(iniPath)
                    : new SequenceInfo(seqDir.Name, Math.Max(detections.MaxFrame, gt?.MaxFrame ?? 0), parse.GetValue(fps) ?? DefaultFrameRate);
                double frameRate = info.FrameRate > 0 ? info.FrameRate : parse.GetValue(fps) ?? DefaultFrameRate;

                SyntheticCameraMotion? motion = null;
                IReadOnlyList<MotRecord> detectionRows = detections.Rows;
                if (synthetic)
                {
                    if (info.ImageWidth <= 0 || info.ImageHeight <= 0)
                    {
                        throw new EdgeException($"--camera-motion needs the image size from {iniPath} (imWidth/imHeight).");
                    }
                    motion = SyntheticCameraMotion.PanZoom(info.ImageWidth, info.ImageHeight);
                    detectionRows = motion.Apply(detections.Rows);
                }
                Func<int, Affine2D>? warp = motion is not null && parse.GetValue(cmc) ? motion.Between : null;

                IMultiObjectTracker tracker = sort ? new SortTracker() : new ByteTracker(options, frameRate);
                var watch = Stopwatch.StartNew();
                var rows = MotSequenceTracking.Run(tracker, detectionRows, info.Length, filter, sort ? 2 : 1, ct, warp);
                watch.Stop();
                string file = many ? Path.Combine(outPath, seqDir.Name + ".txt") : outPath;
                MotChallengeWriter.WriteFile(file, rows);
                Console.WriteLine($"{seqDir.Name}: {info.Length} frames at {frameRate:0.##} fps, {rows.Count} rows -> {file} " +
                    $"({watch.Elapsed.TotalMilliseconds:0} ms, config {name})");
                if (parse.GetValue(score))
                {
                    if (gt is null)
                    {
                        throw new EdgeException($"--score needs ground truth: {gtPath} not found");
                    }
                    var metrics = MotEvaluator.EvaluateSequence(motion is null ? gt.Rows : motion.Apply(gt.Rows), rows, MotEvaluator.DetectBenchmark(gt, seqDir.Name), info.Length, seqDir.Name);
                    scored.Add(metrics);
                    Print(seqDir.Name, metrics);
                }
            }
            if (scored.Count > 1)
            {
                Print("COMBINED", MotMetrics.Combine(scored));
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Print(string name, MotMetrics m) =>
        Console.WriteLine($"  {name,-16} HOTA {100 * m.Hota.Hota:0.000}  DetA {100 * m.Hota.DetA:0.000}  AssA {100 * m.Hota.AssA:0.000}  " +
            $"MOTA {100 * m.Clear.Mota:0.000}  IDF1 {100 * m.Identity.Idf1:0.000}  IDSW {m.Clear.IdSwitches}  FP {m.Clear.FalsePositives}  FN {m.Clear.FalseNegatives}");
}
