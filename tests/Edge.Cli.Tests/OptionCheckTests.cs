namespace Edge.Tests;

/// <summary>Options that would otherwise be ignored or taken as nonsense without a word are refused by name.</summary>
[Collection(InProcessCli.Name)]
public class OptionCheckTests
{
    [Theory]
    [InlineData("--classify-every 0", "--classify-every must be at least 1; got 0")]
    [InlineData("--classify-every 3", "--classify-every applies only with --classifier.")]
    [InlineData("--classify-min-votes 2", "--classify-min-votes applies only with --classifier.")]
    [InlineData("--classify-classes person", "--classify-classes applies only with --classifier.")]
    [InlineData("--reid histogram --reid-budget 4", "--reid-budget applies only with a re-id model (--reid <model>).")]
    [InlineData("--reid osnet_x0_25_msmt17 --reid-budget 0", "--reid-budget must be at least 1; got 0")]
    public async Task TrackRefusesACropModelOptionThatWouldDoNothing(string options, string message)
    {
        string dir = TestData.NewTempDir("options");
        var (exit, _, stderr) = await InProcessCli.RunAsync(
            ["track", "--source", TestData.VideoPath, "--out", Path.Combine(dir, "t.txt"), "--max-frames", "1", .. options.Split(' ')]);

        Assert.Equal(1, exit);
        Assert.Equal($"edge: {message}", stderr.TrimEnd());
        Assert.False(File.Exists(Path.Combine(dir, "t.txt")), "nothing is written");
    }

    [Fact]
    public async Task TrackTakesAClassifierOptionWithTheClassifier_UpToTheModelLookUp()
    {
        // The same option is accepted with --classifier: the run gets as far as resolving the (missing) model.
        var (exit, _, stderr) = await InProcessCli.RunAsync(
            "track", "--source", TestData.VideoPath, "--out", Path.Combine(TestData.NewTempDir("options"), "t.txt"),
            "--classifier", "no_such_classifier", "--classify-every", "3");

        Assert.Equal(1, exit);
        Assert.Contains("no_such_classifier", stderr.Split('\n')[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fps 0", "--fps must be a frame rate above 0; got 0")]
    [InlineData("--fps -25", "--fps must be a frame rate above 0; got -25")]
    [InlineData("--cmc false", "--cmc applies only with --camera-motion (without it there is no known camera motion to compensate).")]
    public async Task MotRefusesAFrameRateOrCompensationThatMeansNothing(string options, string message)
    {
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string output = Path.Combine(TestData.NewTempDir("options"), "mot.txt");

        var (exit, _, stderr) = await InProcessCli.RunAsync(["mot", "--seq", sequence, "--out", output, .. options.Split(' ')]);

        Assert.Equal(1, exit);
        Assert.Equal($"edge: {message}", stderr.TrimEnd());
        Assert.False(File.Exists(output));

        (exit, _, stderr) = await InProcessCli.RunAsync("mot", "--seq", sequence, "--out", output, "--camera-motion", "pan-zoom", "--cmc", "false");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.True(File.Exists(output));
    }
}
