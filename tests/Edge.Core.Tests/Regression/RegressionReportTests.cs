using Edge.Evaluation;
using Edge.Geometry;
using Edge.Regression;

namespace Edge.Tests.Regression;

public class RegressionReportTests
{
    private static RegressionFrame Frame(long i, string state, params RegressionBox[] boxes) =>
        new(i, i / 10.0, boxes, new RegressionFollow(state, 1, [0.1, 0, 0.3, 0, 0, 1, 0.08, 0]));

    private static RegressionBox Box(float x, double score = 0.8) => new(0, score, new BoxF(x, 10, x + 30, 100));

    private static readonly MotRecord[] Tracks = [new(1, 1, 10, 10, 30, 90, 0.8), new(2, 1, 10, 10, 30, 90, 0.8), new(3, 1, 10, 10, 30, 90, 0.8)];

    [Fact]
    public void IdenticalRunsPass()
    {
        RegressionFrame[] frames = [Frame(0, "locked", Box(10)), Frame(1, "locked", Box(10)), Frame(2, "locked", Box(10))];

        var report = RegressionReport.Create(frames, Tracks, frames, Tracks, new RegressionTolerances());

        Assert.True(report.Passed, report.FormatSummary());
        Assert.EndsWith("PASS: within every tolerance" + Environment.NewLine, report.FormatSummary());
    }

    [Fact]
    public void ALostBoxAndAnIdChangeFailWithTheFramesInTheSummary()
    {
        RegressionFrame[] golden = [Frame(0, "locked", Box(10)), Frame(1, "locked", Box(10), Box(200, 0.3)), Frame(2, "locked", Box(10))];
        RegressionFrame[] current = [Frame(0, "locked", Box(10)), Frame(1, "locked", Box(10)), Frame(2, "searching", Box(10))];
        MotRecord[] currentTracks = [Tracks[0], Tracks[1], Tracks[2] with { Id = 5 }];

        var report = RegressionReport.Create(golden, Tracks, current, currentTracks, new RegressionTolerances());
        string summary = report.FormatSummary();

        Assert.False(report.Passed);
        Assert.Contains("frame 1: -[200,10,230,100] 0.30", summary);
        Assert.Contains("frame 3: golden id 1 was current id 1, now 5", summary);
        Assert.Contains("frames 2: golden locked, current searching", summary);
        Assert.Equal(
            ["detections: 1 frames changed (allowed 0)", "tracks: IDSW 1 (allowed 0)", "tracks: IDF1 66.67 % (minimum 100.00 %)", "follow: state differs in 1 frames (allowed 0)"],
            report.Failures);
    }

    [Fact]
    public void LooserTolerancesAbsorbTheSameDrift()
    {
        RegressionFrame[] golden = [Frame(0, "locked", Box(10)), Frame(1, "locked", Box(10), Box(200, 0.3))];
        RegressionFrame[] current = [Frame(0, "locked", Box(10)), Frame(1, "locked", Box(10))];
        MotRecord[] tracks = [Tracks[0], Tracks[1]];

        var report = RegressionReport.Create(golden, tracks, current, tracks, new RegressionTolerances { MaxChangedDetectionFrames = 1 });

        Assert.True(report.Passed, report.FormatSummary());
    }

    [Fact]
    public void AShorterReplayFailsOnTheFrameCount()
    {
        RegressionFrame[] golden = [Frame(0, "locked"), Frame(1, "locked")];

        var report = RegressionReport.Create(golden, [], golden[..1], [], new RegressionTolerances { MaxChangedDetectionFrames = 5, MaxFollowStateFrames = 5 });

        Assert.Equal("frames: 1 processed, golden has 2", Assert.Single(report.Failures));
    }
}
