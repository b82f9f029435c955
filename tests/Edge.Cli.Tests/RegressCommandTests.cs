using System.Globalization;
using System.IO.Compression;
using System.Text;
using Edge.Cli.Commands;

namespace Edge.Tests;

/// <summary>Goldens made in-test from the first frames of vtest.avi (with a recording of the frames processed), shared
/// by the mutation tests so each replay costs only those frames.</summary>
public sealed class SmallGoldenFixture
{
    public const int Frames = 60;

    public SmallGoldenFixture()
    {
        Root = TestData.NewTempDir("regress");
        Golden = Path.Combine(Root, "golden");
        Recording = Path.Combine(Root, "incident.avi");
        TestData.Model("yolov8n_w8dq.onnx");
        string config = Path.Combine(Root, "script.json");
        File.WriteAllText(config, """{"followScript":[{"frame":0,"action":"point:268,264"},{"frame":40,"action":"release"},{"frame":45,"action":"largest"}]}""");
        (Exit, Out, Error) = InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", Golden, "--config", config,
            "--max-frames", Frames.ToString(CultureInfo.InvariantCulture), "--update", "--reason", "made by the test",
            "--record", Recording, "--out", Path.Combine(Root, "made")).GetAwaiter().GetResult();
    }

    public string Root { get; }

    public string Golden { get; }

    public string Recording { get; }

    public int Exit { get; }

    public string Out { get; }

    public string Error { get; }

    /// <summary>A writable copy of the goldens for tests that damage them.</summary>
    public string CopyGolden()
    {
        string copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Golden))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }
}

/// <summary><c>edge regress</c> in process with yolov8n_w8dq on CPU: the committed vtest goldens, deliberate changes
/// that must fail with a diff naming their effect, the revert that passes byte for byte, damaged goldens, and the
/// replay of a recording.</summary>
[Collection(InProcessCli.Name)]
public class RegressCommandTests(SmallGoldenFixture golden) : IClassFixture<SmallGoldenFixture>
{
    [Fact]
    public async Task TheCommittedVtestGoldensStillHold()
    {
        string goldenDir = Path.Combine(TestData.RepoRoot, "tests", "golden", "vtest");
        string outDir = TestData.NewTempDir("regress-vtest");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", goldenDir, "--out", outDir);

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("frames      golden 795, current 795", stdout);
        Assert.Contains("PASS: within every tolerance", stdout);
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "report.txt")), stdout[stdout.IndexOf("frames      golden", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task TheUnchangedPipelineReproducesTheGoldensByteForByte()
    {
        Assert.True(golden.Exit == 0, golden.Error + golden.Out);
        string outDir = Path.Combine(golden.Root, "same");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", golden.Golden, "--out", outDir);

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("PASS", stdout);
        Assert.Equal(Gunzip(Path.Combine(golden.Golden, "frames.jsonl.gz")), File.ReadAllText(Path.Combine(outDir, "frames.jsonl")));
        Assert.Equal(Gunzip(Path.Combine(golden.Golden, "tracks.txt.gz")), File.ReadAllText(Path.Combine(outDir, "tracks.txt")));
    }

    [Fact]
    public async Task ARaisedScoreThresholdFailsAndNamesTheLostBoxes()
    {
        Assert.True(golden.Exit == 0, golden.Error + golden.Out);
        string config = Path.Combine(golden.Root, "conf.json");
        await File.WriteAllTextAsync(config, """{"conf":0.35}""");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", golden.Golden,
            "--config", config, "--out", Path.Combine(golden.Root, "conf"));

        Assert.True(exit == RegressCommand.DriftExitCode, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("config      conf 0.25 -> 0.35", stdout);
        Assert.Matches(@"detections  \d+ frames changed; .* 0 added, \d+ lost", stdout);
        // Every lost box scored below the new threshold: the diff shows exactly the effect of the change.
        var lostScores = System.Text.RegularExpressions.Regex.Matches(stdout, @" -\[\d+,\d+,\d+,\d+\] (\d\.\d\d)")
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(lostScores);
        Assert.All(lostScores, s => Assert.InRange(s, 0.25, 0.35));
        Assert.Contains("FAIL: detections:", stdout);
    }

    [Fact]
    public async Task AStricterTrackBirthFailsOnTracksWithTheSameDetections()
    {
        Assert.True(golden.Exit == 0, golden.Error + golden.Out);
        string config = Path.Combine(golden.Root, "tracker.json");
        await File.WriteAllTextAsync(config, """{"trackerOverrides":{"newTrackThresh":0.8}}""");

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", golden.Golden,
            "--config", config, "--out", Path.Combine(golden.Root, "tracker"));

        Assert.True(exit == RegressCommand.DriftExitCode, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("""config      trackerOverrides null -> {"newTrackThresh":0.8}""", stdout);
        Assert.Contains("detections  0 frames changed", stdout);
        Assert.Contains("tracks: IDF1", stdout);
    }

    [Fact]
    public async Task ARecordingReplaysToTheSameOutputs()
    {
        Assert.True(golden.Exit == 0, golden.Error + golden.Out);
        string[] sidecar = File.ReadAllLines(golden.Recording + ".frames.csv");
        Assert.Equal("frame,seconds", sidecar[0]);
        Assert.Equal(SmallGoldenFixture.Frames + 1, sidecar.Length);
        Assert.Equal("59,5.9", sidecar[^1]); // vtest.avi is 10 fps

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", golden.Recording, "--golden", golden.Golden,
            "--out", Path.Combine(golden.Root, "replay"));

        // FFV1 is lossless, so the recorded frames give the live run's outputs exactly.
        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("detections  0 frames changed", stdout);
    }

    [Theory]
    [InlineData("tracks.txt.gz", "missing")]
    [InlineData("frames.jsonl.gz", "garbage")]
    [InlineData("frames.jsonl.gz", "edited")]
    [InlineData("stats.json", "garbage")]
    [InlineData("manifest.json", "garbage")]
    public async Task ADamagedGoldenFailsNamingTheFile(string file, string damage)
    {
        Assert.True(golden.Exit == 0, golden.Error + golden.Out);
        string dir = golden.CopyGolden();
        string path = Path.Combine(dir, file);
        switch (damage)
        {
            case "missing":
                File.Delete(path);
                break;
            case "garbage":
                await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes("{\"frame\":"));
                break;
            default:
                // Still valid gzip and JSON, one score changed by hand: only the manifest's sha256 catches it.
                string text = Gunzip(path).Replace("\"score\":0.", "\"score\":0.1", StringComparison.Ordinal);
                await using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                {
                    gz.Write(Encoding.UTF8.GetBytes(text));
                }
                break;
        }

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", dir, "--out", Path.Combine(dir, "out"));

        Assert.True(exit == 1, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains(path, stderr);
        Assert.DoesNotContain("frames in", stdout); // failed before the replay
    }

    [Fact]
    public async Task UpdateWithoutAReasonIsRefused()
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("regress", "--source", TestData.VideoPath, "--golden", golden.CopyGolden(), "--update");

        Assert.Equal(1, exit);
        Assert.Contains("--update needs --reason", stderr);
    }

    private static string Gunzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
