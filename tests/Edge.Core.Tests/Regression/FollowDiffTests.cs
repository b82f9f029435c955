using Edge.Regression;

namespace Edge.Tests.Regression;

public class FollowDiffTests
{
    private static readonly RegressionTolerances Tolerances = new();

    private static RegressionFrame[] Frames(params (string State, double OffsetX)[] follow) =>
        follow.Select((f, i) => new RegressionFrame(i, i / 10.0, [], new RegressionFollow(f.State, f.State == "locked" ? 1 : -1,
            [f.OffsetX, 0, 0.3, 0, 0, 1, f.OffsetX * 0.8, 0]))).ToArray();

    [Fact]
    public void StateChangesAreListedByFrameAndSegmentsSummariseTheSequence()
    {
        var golden = Frames(("idle", 0), ("locked", 0.1), ("locked", 0.1), ("locked", 0.1), ("searching", 0));
        var current = Frames(("idle", 0), ("locked", 0.1), ("searching", 0), ("searching", 0), ("searching", 0));

        var diff = FollowDiff.Compare(golden, current, Tolerances);

        Assert.Equal([new FollowStateChange(2, "locked", "searching"), new FollowStateChange(3, "locked", "searching")], diff.StateFrames);
        Assert.Equal("idle 0, locked 1-3, searching 4", string.Join(", ", diff.GoldenSegments));
        Assert.Equal("idle 0, locked 1, searching 2-4", string.Join(", ", diff.CurrentSegments));
    }

    [Fact]
    public void ValuesBeyondTheToleranceNameTheValue()
    {
        var golden = Frames(("locked", 0.10), ("locked", 0.10));
        var current = Frames(("locked", 0.11), ("locked", 0.20));

        var diff = FollowDiff.Compare(golden, current, Tolerances);

        Assert.Empty(diff.StateFrames);
        var change = Assert.Single(diff.ValueFrames);
        Assert.Equal((1L, "offsetX"), (change.Frame, change.Value));
        Assert.Equal(0.1, diff.MaxValueDelta, 9);
    }
}
