using Edge.Geometry;
using Edge.Regression;

namespace Edge.Tests.Regression;

public class DetectionDiffTests
{
    private static readonly RegressionTolerances Tolerances = new();

    private static RegressionFrame Frame(long index, params RegressionBox[] boxes) => new(index, index / 10.0, boxes, null);

    private static RegressionBox Person(float x, float y, double score = 0.8) => new(0, score, new BoxF(x, y, x + 30, y + 90));

    [Fact]
    public void IdenticalFramesHaveNoChanges()
    {
        var golden = new[] { Frame(0, Person(10, 10), Person(100, 10)), Frame(1, Person(12, 10)) };
        var current = new[] { Frame(0, Person(100, 10), Person(10, 10)), Frame(1, Person(12, 10)) };

        var diff = DetectionDiff.Compare(golden, current, Tolerances);

        Assert.Empty(diff.ChangedFrames);
        Assert.Equal(3, diff.Matched);
        Assert.Equal(1.0, diff.MeanMatchedIou, 6);
    }

    [Fact]
    public void ALostAndAnAddedBoxAreReportedWithTheirFrame()
    {
        var golden = new[] { Frame(0, Person(10, 10)), Frame(1, Person(10, 10), Person(200, 50, 0.3)), Frame(2) };
        var current = new[] { Frame(0, Person(10, 10)), Frame(1, Person(10, 10)), Frame(2, Person(400, 40)) };

        var diff = DetectionDiff.Compare(golden, current, Tolerances);

        Assert.Equal([1L, 2L], diff.ChangedFrames.Select(f => f.Frame));
        Assert.Equal(new BoxF(200, 50, 230, 140), Assert.Single(diff.ChangedFrames[0].Lost).Box);
        Assert.Empty(diff.ChangedFrames[0].Added);
        Assert.Equal(new BoxF(400, 40, 430, 130), Assert.Single(diff.ChangedFrames[1].Added).Box);
        Assert.Equal((1, 1), (diff.Lost, diff.Added));
    }

    [Fact]
    public void ABoxMovedBelowTheMatchIouIsLostAndAdded()
    {
        // 30x90 box moved 3 px right: IoU = 27/33 = 0.82 < 0.9.
        var diff = DetectionDiff.Compare([Frame(0, Person(10, 10))], [Frame(0, Person(13, 10))], Tolerances);

        Assert.Equal((0, 1, 1), (diff.Matched, diff.Lost, diff.Added));
        // Moved 1 px: IoU = 29/31 = 0.935, still the same box.
        Assert.Empty(DetectionDiff.Compare([Frame(0, Person(10, 10))], [Frame(0, Person(11, 10))], Tolerances).ChangedFrames);
    }

    [Fact]
    public void ScoresWithinTheToleranceAreUnchangedBeyondItRescored()
    {
        var within = DetectionDiff.Compare([Frame(0, Person(10, 10, 0.80))], [Frame(0, Person(10, 10, 0.815))], Tolerances);
        var beyond = DetectionDiff.Compare([Frame(0, Person(10, 10, 0.80))], [Frame(0, Person(10, 10, 0.83))], Tolerances);

        Assert.Empty(within.ChangedFrames);
        Assert.Equal(0.015, within.MaxScoreDelta, 6);
        Assert.Equal(1, Assert.Single(beyond.ChangedFrames).Rescored);
    }

    [Fact]
    public void BoxesOfDifferentClassesNeverMatch()
    {
        var car = new RegressionBox(2, 0.8, new BoxF(10, 10, 40, 100));

        var diff = DetectionDiff.Compare([Frame(0, Person(10, 10))], [Frame(0, car)], Tolerances);

        Assert.Equal((0, 1, 1), (diff.Matched, diff.Lost, diff.Added));
    }

    [Fact]
    public void AFrameMissingFromTheReplayLosesItsBoxes()
    {
        var diff = DetectionDiff.Compare([Frame(0, Person(10, 10)), Frame(1, Person(10, 10))], [Frame(0, Person(10, 10))], Tolerances);

        Assert.Equal(1L, Assert.Single(diff.ChangedFrames).Frame);
        Assert.Equal((2, 1), (diff.GoldenFrames, diff.CurrentFrames));
    }
}
