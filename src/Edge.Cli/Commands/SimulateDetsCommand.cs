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
        var frameRate = new Option<double>("--frame-rate") { Description = "Frame rate for a sequence without seqinfo.ini (MOT20-01: 25)." };
        var width = new Option<int>("--width") { Description = "Image width for a sequence without seqinfo.ini." };
        var height = new Option<int>("--height") { Description = "Image height for a sequence without seqinfo.ini." };
        var command = new Command("simulate-dets", "Simulate a person detector on MOTChallenge ground truth with the noise model of the shared MOT17 detections (docs/follow-me.md, held-out check).");
        command.Options.Add(gt);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(frameRate);
        command.Options.Add(width);
        command.Options.Add(height);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse.GetValue(gt)!, parse.GetValue(output)!, parse.GetValue(seed),
            parse.GetValue(frameRate), parse.GetValue(width), parse.GetValue(height), ct)));
        return command;
    }

    private static int Run(DirectoryInfo gtRoot, DirectoryInfo outRoot, int seed, double frameRate, int width, int height, CancellationToken ct)
    {
        foreach (string sequenceDir in MotSequenceFolders.Find(gtRoot, "--gt"))
        {
            ct.ThrowIfCancellationRequested();
            string name = Path.GetFileName(sequenceDir);
            string gtPath = Path.Combine(sequenceDir, "gt", "gt.txt");
            MotFile truth = MotChallengeReader.ReadFile(gtPath);
            if (!truth.HasClasses)
            {
                throw new EdgeException($"{gtPath}: simulate-dets needs MOT17/MOT20 ground truth with class and visibility columns.");
            }
            SequenceInfo info = ReadInfo(sequenceDir, name, truth, frameRate, width, height);
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

    private static SequenceInfo ReadInfo(string sequenceDir, string name, MotFile truth, double frameRate, int width, int height)
    {
        string path = Path.Combine(sequenceDir, "seqinfo.ini");
        SequenceInfo info = File.Exists(path)
            ? SequenceInfo.ReadFile(path)
            : new SequenceInfo(name, truth.MaxFrame);
        info = info with
        {
            FrameRate = frameRate > 0 ? frameRate : info.FrameRate,
            ImageWidth = width > 0 ? width : info.ImageWidth,
            ImageHeight = height > 0 ? height : info.ImageHeight,
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
