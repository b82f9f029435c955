using Edge.Pipeline;

namespace Edge.Tests.Pipeline;

public class StageStatisticsTests
{
    [Fact]
    public void PercentilesOfOneToHundredFollowLinearInterpolation()
    {
        var s = new StageStatistics("x", 100);
        // Shuffled so sorting is exercised.
        foreach (int v in Enumerable.Range(1, 100).OrderBy(v => (v * 37) % 101))
        {
            s.Record(v);
        }
        // R-7 (NumPy default): rank = p * (n - 1); p50 -> rank 49.5 -> (50 + 51) / 2; p95 -> rank 94.05 -> 95 + 0.05.
        Assert.Equal(50.5, s.P50, 12);
        Assert.Equal(95.05, s.P95, 12);
        Assert.Equal(50.5, s.Mean, 12);
        Assert.Equal(100, s.Max);
        Assert.Equal(1, s.Percentile(0));
        Assert.Equal(100, s.Percentile(100));
    }

    [Fact]
    public void SmallSamplesByHand()
    {
        var s = new StageStatistics("x", 8);
        s.Record(10);
        s.Record(30);
        s.Record(20);
        s.Record(40);
        // sorted 10 20 30 40, rank(0.5) = 1.5 -> 25; rank(0.95) = 2.85 -> 30 + 0.85 * 10 = 38.5.
        Assert.Equal(25, s.P50, 12);
        Assert.Equal(38.5, s.P95, 12);
        Assert.Equal(25, s.Mean, 12);
    }

    [Fact]
    public void EmptyIsNaN()
    {
        var s = new StageStatistics("x", 4);
        Assert.True(double.IsNaN(s.Mean));
        Assert.True(double.IsNaN(s.P50));
    }

    [Fact]
    public void ReservoirKeepsExactMeanAndAUniformSampleBeyondCapacity()
    {
        var s = new StageStatistics("x", 1000);
        for (int i = 0; i < 100_000; i++)
        {
            s.Record(i % 1000);
        }
        Assert.Equal(100_000, s.Count);
        Assert.Equal(499.5, s.Mean, 9);
        // Uniform on 0..999: a 1000-sample reservoir puts the median near 500 (sd about 9) and p95 near 950.
        Assert.InRange(s.P50, 450, 550);
        Assert.InRange(s.P95, 920, 980);
    }
}
