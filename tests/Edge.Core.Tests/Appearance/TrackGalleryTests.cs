using Edge.Appearance;

namespace Edge.Tests.Appearance;

public class TrackGalleryTests
{
    private static float[] Unit(int dim, int axis, float other = 0f)
    {
        var v = new float[dim];
        v[axis] = 1f;
        if (other != 0f)
        {
            v[(axis + 1) % dim] = other;
        }
        return v;
    }

    [Fact]
    public void MeanIsAnExponentialAverageAndSamplesAreBounded()
    {
        var g = new TrackGallery(dimension: 4, capacity: 2, momentum: 0.5f);
        g.Add(1, Unit(4, 0), frame: 0);
        g.Add(1, Unit(4, 1), frame: 1);
        // 0.5·e0 + 0.5·e1, normalised.
        var mean = g.Mean(1).ToArray();
        Assert.Equal(1f / MathF.Sqrt(2f), mean[0], 5);
        Assert.Equal(1f / MathF.Sqrt(2f), mean[1], 5);
        Assert.Equal(2, g.SampleCount(1));
        g.Add(1, Unit(4, 2), frame: 2);
        Assert.Equal(2, g.SampleCount(1));
        // Best of mean and the two kept samples (e1, e2); e0 was replaced, so a query on e0 only sees the mean.
        Assert.Equal(1f, g.Similarity(1, Unit(4, 2)), 5);
        Assert.True(g.Similarity(1, Unit(4, 0)) < 0.7f);
        Assert.Equal(2, g.LastUpdated(1));
    }

    [Fact]
    public void ZeroRowsAreIgnoredAndUnknownTracksGiveNaN()
    {
        var g = new TrackGallery(dimension: 3);
        g.Add(5, new float[3], frame: 0);
        Assert.False(g.Contains(5));
        Assert.True(float.IsNaN(g.Similarity(5, Unit(3, 0))));
        g.Add(5, Unit(3, 0), frame: 1);
        Assert.True(float.IsNaN(g.Similarity(5, new float[3])));
        g.ForgetOlderThan(2);
        Assert.Equal(0, g.Count);
    }
}
