using System.CommandLine;
using Edge.Evaluation;

namespace Edge.Cli.Commands;

/// <summary><c>edge simulate-dets</c>: MOTChallenge sequences with detections simulated from their ground truth
/// (<see cref="SimulatedDetector"/>), for checking tracker and Follow Me settings on new noise or new scenes.</summary>
public static class SimulateDetsCommand
{
    public static Command Create()
    {
        var gt = new Option<DirectoryInfo>("--gt")
        {
            Description = "Folder of MOTChallenge sequences with MOT17/MOT20 ground truth (<seq>/gt/gt.txt with class and visibility), or one sequence folder.",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Output folder: <out>/<seq>/gt/gt.txt (copied), <seq>/det/det.txt (simulated) and <seq>/seqinfo.ini.",
            Required = true,
        };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => 1 };
        var frameRate = new Option<double?>("--frame-rate") { Description = "Frame rate for a sequence without seqinfo.ini (MOT20-01: 25)." };
        var width = new Option<int?>("--width") { Description = "Image width for a sequence without seqinfo.ini." };
        var height = new Option<int?>("--height") { Description = "Image height for a sequence without seqinfo.ini." };
        var command = new Command("simulate-dets", "Simulate a person detector on MOTChallenge ground truth with the noise model of the shared MOT17 detections (docs/follow-me.md, held-out check).");
        command.Options.Add(gt);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(frameRate);
        command.Options.Add(width);
        command.Options.Add(height);
        command.SetAction((parse, ct) =>
        {
            var given = new GivenInfo(parse.GetValue(frameRate), parse.GetValue(width), parse.GetValue(height));
            if (given.FrameRate is double rate && !(rate > 0 && double.IsFinite(rate)))
            {
                throw new EdgeException($"--frame-rate must be above 0; got {rate}");
            }
            foreach (var (option, value) in new[] { ("--width", given.Width), ("--height", given.Height) })
            {
                if (value is <= 0)
                {
                    throw new EdgeException($"{option} must be at least 1; got {value}");
                }
            }
            return Task.FromResult(Run(parse.GetValue(gt)!, parse.GetValue(output)!, parse.GetValue(seed), given, ct));
        });
        return command;
    }

    /// <summary>--frame-rate, --width and --height as given (null when not).</summary>
    private sealed record GivenInfo(double? FrameRate, int? Width, int? Height);

    private static int Run(DirectoryInfo gtRoot, DirectoryInfo outRoot, int seed, GivenInfo given, CancellationToken ct)
    {
        List<string> sequences = MotSequenceFolders.Find(gtRoot, "--gt");
        // Every sequence is checked against the options before the first one is written.
        foreach (string sequenceDir in sequences)
        {
            CheckAgainstSeqinfo(sequenceDir, given);
        }
        foreach (string sequenceDir in sequences)
        {
            ct.ThrowIfCancellationRequested();
            string name = Path.GetFileName(sequenceDir);
            string gtPath = Path.Combine(sequenceDir, "gt", "gt.txt");
            MotFile truth = MotChallengeReader.ReadFile(gtPath);
            if (!truth.HasClasses)
            {
                throw new EdgeException($"{gtPath}: simulate-dets needs MOT17/MOT20 ground truth with class and visibility columns.");
            }
            SequenceInfo info = ReadInfo(sequenceDir, name, truth, given);
            // Seeded per sequence, so one sequence's detections do not depend on which others are simulated with it.
            int sequenceSeed = unchecked((seed * 16777619) ^ StableHash(name));
            List<MotRecord> detections = SimulatedDetector.Default.Detect(truth.Rows, info.Length, info.ImageWidth, info.ImageHeight, sequenceSeed);

            string target = Path.Combine(outRoot.FullName, name);
            Directory.CreateDirectory(Path.Combine(target, "gt"));
            File.Copy(gtPath, Path.Combine(target, "gt", "gt.txt"), overwrite: true);
            MotChallengeWriter.WriteFile(Path.Combine(target, "det", "det.txt"), detections);
            (info with { Name = name }).WriteFile(Path.Combine(target, "seqinfo.ini"));
            Console.WriteLine($"{name}: {detections.Count} detections over {info.Length} frames (seed {seed}) -> {target}");
        }
        return 0;
    }

    /// <summary>The options fill in what a sequence has no seqinfo.ini value for; a value the sequence's seqinfo.ini
    /// gives is never replaced, so an option that differs from it is refused rather than ignored.</summary>
    private static void CheckAgainstSeqinfo(string sequenceDir, GivenInfo given)
    {
        string path = Path.Combine(sequenceDir, "seqinfo.ini");
        if (!File.Exists(path))
        {
            return;
        }
        SequenceInfo info = SequenceInfo.ReadFile(path);
        foreach (var (option, key, value, known) in new (string, string, double?, double)[]
        {
            ("--frame-rate", "frameRate", given.FrameRate, info.FrameRate),
            ("--width", "imWidth", given.Width, info.ImageWidth),
            ("--height", "imHeight", given.Height, info.ImageHeight),
        })
        {
            if (value is double v && known > 0 && v != known)
            {
                throw new EdgeException($"{option} {v} differs from {key}={known} in {path}; --frame-rate, --width and --height are for a sequence without those values.");
            }
        }
    }

    private static SequenceInfo ReadInfo(string sequenceDir, string name, MotFile truth, GivenInfo given)
    {
        string path = Path.Combine(sequenceDir, "seqinfo.ini");
        SequenceInfo info = File.Exists(path)
            ? SequenceInfo.ReadFile(path)
            : new SequenceInfo(name, truth.MaxFrame);
        info = info with
        {
            FrameRate = info.FrameRate > 0 ? info.FrameRate : given.FrameRate ?? 0,
            ImageWidth = info.ImageWidth > 0 ? info.ImageWidth : given.Width ?? 0,
            ImageHeight = info.ImageHeight > 0 ? info.ImageHeight : given.Height ?? 0,
        };
        if (info.FrameRate <= 0 || info.ImageWidth <= 0 || info.ImageHeight <= 0)
        {
            throw new EdgeException($"{sequenceDir}: no frame rate or image size (seqinfo.ini missing or incomplete); give --frame-rate, --width and --height.");
        }
        return info;
    }

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, and the seed must not be.</summary>
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)hash;
    }
}
