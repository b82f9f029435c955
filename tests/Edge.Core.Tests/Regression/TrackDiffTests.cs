using Edge.Evaluation;
using Edge.Regression;

namespace Edge.Tests.Regression;

public class TrackDiffTests
{
    /// <summary>Two people walking towards each other over 10 frames, ids 1 and 2.</summary>
    private static List<MotRecord> TwoWalkers(Func<int, int, int>? id = null)
    {
        id ??= (frame, person) => person;
        var rows = new List<MotRecord>();
        for (int f = 1; f <= 10; f++)
        {
            rows.Add(new MotRecord(f, id(f, 1), 10 + 5 * f, 50, 30, 90, 0.9));
            rows.Add(new MotRecord(f, id(f, 2), 300 - 5 * f, 50, 30, 90, 0.4));
        }
        return rows;
    }

    [Fact]
    public void IdenticalTracksScorePerfectlyAlthoughGoldenScoresAreLow()
    {
        // Column 7 holds track scores (0.4): read as a ground-truth flag it would drop the rows (int(0.4) = 0).
        var diff = TrackDiff.Compare(TwoWalkers(), TwoWalkers(), 10);

        Assert.Equal(0, diff.Metrics.Clear.IdSwitches);
        Assert.Equal(20, diff.Metrics.Clear.TruePositives);
        Assert.Equal(1.0, diff.Metrics.Identity.Idf1, 9);
        Assert.Empty(diff.IdChanges);
    }

    [Fact]
    public void RenumberedIdsAreNotAChange()
    {
        var diff = TrackDiff.Compare(TwoWalkers(), TwoWalkers((_, p) => p + 40), 10);

        Assert.Equal(0, diff.Metrics.Clear.IdSwitches);
        Assert.Equal(1.0, diff.Metrics.Identity.Idf1, 9);
        Assert.Empty(diff.IdChanges);
    }

    [Fact]
    public void SwappedIdsShowAsIdswLowerIdf1AndTheFrame()
    {
        // From frame 6 the tracker swaps the two identities.
        var current = TwoWalkers((f, p) => f >= 6 ? 3 - p : p);

        var diff = TrackDiff.Compare(TwoWalkers(), current, 10);

        Assert.Equal(2, diff.Metrics.Clear.IdSwitches);
        Assert.True(diff.Metrics.Identity.Idf1 < 1.0, $"IDF1 {diff.Metrics.Identity.Idf1}");
        Assert.Equal([new IdChange(6, 1, 1, 2), new IdChange(6, 2, 2, 1)], diff.IdChanges);
    }

    [Fact]
    public void AFragmentedTrackWithANewIdIsOneChange()
    {
        // Person 1 is re-born as id 7 from frame 4 on.
        var current = TwoWalkers((f, p) => p == 1 && f >= 4 ? 7 : p);

        var diff = TrackDiff.Compare(TwoWalkers(), current, 10);

        Assert.Equal(1, diff.Metrics.Clear.IdSwitches);
        Assert.Equal(new IdChange(4, 1, 1, 7), Assert.Single(diff.IdChanges));
    }
}
