using Edge.Appearance;

namespace Edge.Tests.Appearance;

public class TrackLabelSmootherTests
{
    [Fact]
    public void LabelAppearsOnlyAfterMinVotesAndIsTheArgmaxOfTheMeanProbabilities()
    {
        var s = new TrackLabelSmoother(classes: 3, minVotes: 3);
        s.Observe(7, [0.1f, 0.8f, 0.1f], frame: 0);
        s.Observe(7, [0.6f, 0.3f, 0.1f], frame: 5);
        Assert.False(s.TryGetLabel(7, out _, out _));
        s.Observe(7, [0.2f, 0.7f, 0.1f], frame: 10);
        Assert.True(s.TryGetLabel(7, out int c, out float conf));
        // Mean (0.3, 0.6, 0.1): the one contrary vote (class 0) does not flip the label.
        Assert.Equal(1, c);
        Assert.Equal(0.6f, conf, 5);
        Assert.Equal(10, s.LastObserved(7));
        Assert.False(s.TryGetLabel(8, out _, out _));
    }

    [Fact]
    public void ForgottenTracksStartAfresh()
    {
        var s = new TrackLabelSmoother(classes: 2, minVotes: 1);
        s.Observe(1, [0.9f, 0.1f], frame: 0);
        s.Observe(2, [0.2f, 0.8f], frame: 100);
        s.ForgetOlderThan(50);
        Assert.Null(s.LastObserved(1));
        Assert.Equal(100, s.LastObserved(2));
        // Track 1's storage is recycled for a new id without leaking the old sums.
        s.Observe(3, [0.1f, 0.9f], frame: 120);
        Assert.True(s.TryGetLabel(3, out int c, out float conf));
        Assert.Equal((1, 0.9f), (c, conf));
        Assert.Throws<EdgeException>(() => s.Observe(4, [1f], frame: 121));
    }
}
