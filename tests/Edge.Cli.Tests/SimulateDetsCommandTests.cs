using System.Text.Json;
using Edge.Evaluation;

namespace Edge.Tests;

/// <summary><c>edge simulate-dets</c>, in process: a sequence folder that <c>follow-eval</c> and <c>mot</c> read.</summary>
[Collection(InProcessCli.Name)]
public class SimulateDetsCommandTests
{
    [Fact]
    public async Task WritesASequenceFollowEvalScores_AndTheSameSeedWritesTheSameFile()
    {
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string first = TestData.NewTempDir("simulate");
        string second = TestData.NewTempDir("simulate");

        var (exit, _, stderr) = await InProcessCli.RunAsync("simulate-dets", "--gt", sequence, "--out", first, "--seed", "5");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        (exit, _, stderr) = await InProcessCli.RunAsync("simulate-dets", "--gt", sequence, "--out", second, "--seed", "5");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");

        string simulated = Path.Combine(first, "MOT17-05-FRCNN");
        Assert.Equal(File.ReadAllText(Path.Combine(sequence, "gt", "gt.txt")), File.ReadAllText(Path.Combine(simulated, "gt", "gt.txt")));
        Assert.Equal(SequenceInfo.ReadFile(Path.Combine(sequence, "seqinfo.ini")) with { Name = "MOT17-05-FRCNN" },
            SequenceInfo.ReadFile(Path.Combine(simulated, "seqinfo.ini")));
        string detections = File.ReadAllText(Path.Combine(simulated, "det", "det.txt"));
        Assert.Equal(detections, File.ReadAllText(Path.Combine(second, "MOT17-05-FRCNN", "det", "det.txt")));
        Assert.NotEqual(File.ReadAllText(Path.Combine(sequence, "det", "det.txt")), detections);

        (exit, string stdout, stderr) = await InProcessCli.RunAsync("follow-eval", "--gt", first, "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        JsonElement overall = JsonDocument.Parse(stdout).RootElement.GetProperty("overall");
        Assert.Equal(17, overall.GetProperty("targets").GetInt32()); // the targets come from the ground truth alone
        Assert.InRange(overall.GetProperty("correct").GetDouble(), 0.5, 0.95);
    }

    [Fact]
    public async Task AGroundTruthWithoutSeqinfoNeedsTheFrameRateAndSize()
    {
        string mot20 = TestData.Shared("data", "mot", "mot20", "train", "MOT20-01");
        string output = TestData.NewTempDir("simulate");

        var (exit, _, stderr) = await InProcessCli.RunAsync("simulate-dets", "--gt", mot20, "--out", output);
        Assert.NotEqual(0, exit);
        Assert.Contains("--frame-rate", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await InProcessCli.RunAsync("simulate-dets", "--gt", mot20, "--out", output,
            "--frame-rate", "25", "--width", "1920", "--height", "1080");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(new SequenceInfo("MOT20-01", 429, 25, 1920, 1080), SequenceInfo.ReadFile(Path.Combine(output, "MOT20-01", "seqinfo.ini")));
    }

    [Theory]
    [InlineData("--frame-rate 25", "--frame-rate 25 differs from frameRate=14 in {ini}; --frame-rate, --width and --height are for a sequence without those values.")]
    [InlineData("--width 100 --height 50", "--width 100 differs from imWidth=640 in {ini}; --frame-rate, --width and --height are for a sequence without those values.")]
    [InlineData("--frame-rate -25", "--frame-rate must be above 0; got -25")]
    [InlineData("--width 0", "--width must be at least 1; got 0")]
    [InlineData("--height -480", "--height must be at least 1; got -480")]
    public async Task AFrameRateOrSizeThatWouldOverwriteSeqinfoOrMeansNothingIsRefused(string options, string message)
    {
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string output = TestData.NewTempDir("simulate");

        var (exit, _, stderr) = await InProcessCli.RunAsync(["simulate-dets", "--gt", sequence, "--out", output, .. options.Split(' ')]);

        Assert.Equal(1, exit);
        Assert.Equal($"edge: {message.Replace("{ini}", Path.Combine(sequence, "seqinfo.ini"), StringComparison.Ordinal)}", stderr.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Fact]
    public async Task TheSeqinfoValuesRepeatedAsOptionsAreAccepted()
    {
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string output = TestData.NewTempDir("simulate");

        var (exit, _, stderr) = await InProcessCli.RunAsync("simulate-dets", "--gt", sequence, "--out", output,
            "--frame-rate", "14", "--width", "640", "--height", "480");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(SequenceInfo.ReadFile(Path.Combine(sequence, "seqinfo.ini")) with { Name = "MOT17-05-FRCNN" },
            SequenceInfo.ReadFile(Path.Combine(output, "MOT17-05-FRCNN", "seqinfo.ini")));
    }
}
