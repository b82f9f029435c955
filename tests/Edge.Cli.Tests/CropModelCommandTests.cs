using System.Globalization;
using System.Text.Json;
using Edge.FollowMe;

namespace Edge.Tests;

/// <summary><c>--reid</c> and <c>--select label:NAME</c> on the track and follow verbs.</summary>
[Collection(InProcessCli.Name)]
public class CropModelCommandTests
{
    private const int Frames = 30;

    [Fact]
    public async Task FollowWithOsnetKeepsTheWalkerAndReportsTheEmbeddingStage()
    {
        string dir = TestData.NewTempDir("reid");
        string jsonl = Path.Combine(dir, "follow.jsonl");
        TestData.Model("yolov8n_w8dq.onnx");
        TestData.Model("osnet_x0_25_msmt17.onnx");

        // The man of TrackFollowCommandTests (left-hand walker of frame 0), now with OSNet appearance.
        var (exit, stdout, stderr) = await InProcessCli.RunAsync("follow", "--source", TestData.VideoPath, "--out", jsonl,
            "--select", "point:268,264", "--reid", "osnet_x0_25_msmt17", "--max-frames", Frames.ToString(CultureInfo.InvariantCulture));

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("osnet_x0_25_msmt17", stdout);
        Assert.Contains("embed", stdout);
        string[] lines = File.ReadAllLines(jsonl);
        Assert.Equal(Frames, lines.Length);
        int locked = 0;
        int? targetId = null;
        foreach (string line in lines)
        {
            Assert.DoesNotContain("\"label\"", line); // no classifier, no labels
            using var doc = JsonDocument.Parse(line);
            var follow = doc.RootElement.GetProperty("follow");
            if (follow.GetProperty("state").GetString() == "locked")
            {
                locked++;
                int id = follow.GetProperty("trackId").GetInt32();
                targetId ??= id;
                Assert.Equal(targetId, id);
            }
        }
        Assert.True(locked >= Frames - 3, $"locked in only {locked} of {Frames} frames");
    }

    [Fact]
    public void LabelSelectionParsesAndNeedsAName()
    {
        var s = TargetSelection.Parse("label:hi-vis");
        Assert.Equal((TargetSelectionKind.Label, "hi-vis"), (s.Kind, s.Label));
        Assert.Throws<EdgeException>(() => TargetSelection.Parse("label:"));
    }

    [Fact]
    public async Task LabelSelectionWithoutAClassifierIsRefused()
    {
        string dir = TestData.NewTempDir("reid");
        var (exit, _, stderr) = await InProcessCli.RunAsync("follow", "--source", TestData.VideoPath, "--out", Path.Combine(dir, "f.jsonl"),
            "--select", "label:hi-vis", "--max-frames", "2");
        Assert.NotEqual(0, exit);
        Assert.Contains("--classifier", stderr);
    }
}
