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
    [InlineData("--track-high-thresh -3", "Tracker option track_high_thresh = -3 is invalid: must be in [0, 1].")]
    [InlineData("--config sort --track-high-thresh 0.9", "--track-high-thresh is a ByteTrack option; it does not apply to --config sort.")]
    [InlineData("--config sort --oru true", "--oru is a ByteTrack option; it does not apply to --config sort.")]
    [InlineData("--config sort --track-buffer 0", "--track-buffer is a ByteTrack option; it does not apply to --config sort.")]
    [InlineData("--config sort --low-recovers-lost false", "--low-recovers-lost is a ByteTrack option; it does not apply to --config sort.")]
    [InlineData("--track-buffer 1 --track-buffer-frames 90", "--track-buffer (seconds) and --track-buffer-frames set the same buffer; give one of them.")]
    public async Task MotRefusesAnOptionThatMeansNothingOrWouldBeIgnored(string options, string message)
    {
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string output = Path.Combine(TestData.NewTempDir("options"), "mot.txt");

        var (exit, _, stderr) = await InProcessCli.RunAsync(["mot", "--seq", sequence, "--out", output, .. options.Split(' ')]);

        Assert.Equal(1, exit);
        Assert.Equal($"edge: {message}", stderr.TrimEnd());
        Assert.False(File.Exists(output));
    }

    /// <summary>Every output truncates its file: two options naming one file would destroy the source video or one of
    /// the outputs. The source here is a stand-in (not a video), so a missing check fails on opening it and writes
    /// nothing; <c>{dir}</c> is a fresh folder, and <c>sub/..</c> checks that paths are compared in full.</summary>
    [Theory]
    [InlineData("detect --out {dir}/d.jsonl --video {dir}/in.avi", "--video and --source name the same file: {dir}/in.avi")]
    [InlineData("detect --out {dir}/d.jsonl --mot {dir}/sub/../d.jsonl", "--mot and --out name the same file: {dir}/d.jsonl")]
    [InlineData("detect --out {dir}/d.jsonl --video {dir}/v.avi --record {dir}/v.avi", "--record and --video name the same file: {dir}/v.avi")]
    [InlineData("detect --out {dir}/d.jsonl --mot {dir}/r.avi.frames.csv --record {dir}/r.avi", "the --record sidecar (.frames.csv) and --mot name the same file: {dir}/r.avi.frames.csv")]
    [InlineData("track --out {dir}/t.txt --jsonl {dir}/t.txt", "--jsonl and --out name the same file: {dir}/t.txt")]
    [InlineData("track --out {dir}/t.txt --jsonl {dir}/t.labels.txt --classifier no_such_classifier", "--jsonl and the --out labels file (.labels.txt) name the same file: {dir}/t.labels.txt")]
    [InlineData("follow --out {dir}/in.avi", "--out and --source name the same file: {dir}/in.avi")]
    [InlineData("follow --out {dir}/f.jsonl --record {dir}/f.jsonl", "--record and --out name the same file: {dir}/f.jsonl")]
    public async Task TwoOptionsNamingOneFileAreRefusedBeforeAnythingIsOpened(string options, string message)
    {
        string dir = TestData.NewTempDir("same-file");
        string source = Path.Combine(dir, "in.avi");
        await File.WriteAllTextAsync(source, "not a video");
        string[] args = options.Replace("{dir}", dir, StringComparison.Ordinal).Split(' ');

        var (exit, _, stderr) = await InProcessCli.RunAsync([args[0], "--source", source, "--max-frames", "1", .. args[1..]]);

        Assert.Equal(1, exit);
        Assert.Equal($"edge: {message.Replace("{dir}", dir, StringComparison.Ordinal)}", stderr.TrimEnd());
        Assert.Equal("not a video", await File.ReadAllTextAsync(source));
        Assert.Equal([source], Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public async Task MotRunsTheMeaningfulCombinations()
    {
        // The counterpart of the refusals above: these combinations are meaningful and run.
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string dir = TestData.NewTempDir("options");
        foreach (string options in new[] { "--config sort --min-box-area 5", "--track-buffer-frames 90", "--track-buffer 1", "--camera-motion pan-zoom --cmc false" })
        {
            string output = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".txt");
            var (exit, _, stderr) = await InProcessCli.RunAsync(["mot", "--seq", sequence, "--out", output, .. options.Split(' ')]);
            Assert.True(exit == 0, $"{options}: exit {exit}: {stderr}");
            Assert.True(File.Exists(output), options);
        }
    }

    [Fact]
    public async Task AnOutputThatIsAFolderIsOneLineNotACrash()
    {
        // Opening a folder for writing throws UnauthorizedAccessException, which is no IOException.
        string sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-05-FRCNN");
        string folder = TestData.NewTempDir("options");

        var (exit, _, stderr) = await InProcessCli.RunAsync("mot", "--seq", sequence, "--out", folder);

        Assert.Equal(1, exit);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("edge: ", line, StringComparison.Ordinal);
        Assert.Contains(folder, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id:3000000000")]
    [InlineData("id:2147483648")]
    [InlineData("id:0")]
    public async Task FollowRefusesATrackIdOutsideTheIdRange(string select)
    {
        string output = Path.Combine(TestData.NewTempDir("options"), "f.jsonl");

        var (exit, _, stderr) = await InProcessCli.RunAsync("follow", "--source", TestData.VideoPath, "--out", output, "--select", select, "--max-frames", "1");

        Assert.Equal(1, exit);
        Assert.Equal($"edge: --select '{select}' is not valid: use largest, center, id:N (N >= 1), point:X,Y, region:X1,Y1,X2,Y2 (source pixels) or label:NAME.",
            stderr.TrimEnd());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task RegressNamesAMissingConfigFileAsTheConfig()
    {
        string golden = Path.Combine(TestData.RepoRoot, "tests", "golden", "vtest");
        string dir = TestData.NewTempDir("options");
        string missing = Path.Combine(dir, "nope.json");

        var (exit, _, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", golden, "--config", missing,
            "--out", Path.Combine(dir, "out"));

        Assert.Equal(1, exit);
        Assert.Equal($"edge: --config file not found: {missing}", stderr.TrimEnd());
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public async Task RegressNamesABadFollowScriptStepByFrameAndAction()
    {
        string golden = Path.Combine(TestData.RepoRoot, "tests", "golden", "vtest");
        string dir = TestData.NewTempDir("options");
        string config = Path.Combine(dir, "script.json");
        await File.WriteAllTextAsync(config, """{"followScript":[{"frame":0,"action":"largest"},{"frame":7,"action":"foo"}]}""");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", golden, "--config", config,
            "--out", Path.Combine(dir, "out"));

        Assert.Equal(1, exit);
        Assert.StartsWith("edge: config: followScript step at frame 7: action 'foo' is not valid: use largest, center,", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("frames in", stdout, StringComparison.Ordinal); // refused before the replay
    }
}
