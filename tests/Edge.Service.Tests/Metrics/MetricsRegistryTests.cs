using Edge.Service.Metrics;
using Edge.Tests;

namespace Edge.Service.Tests.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Render_MatchesTheExpositionFormat_ByHand()
    {
        var r = new MetricsRegistry();
        var frames = r.CreateCounter("edge_frames_total", "Frames.");
        var fps = r.CreateGauge("edge_fps", "Frames per second.");
        var lat = r.CreateHistogram("edge_latency_seconds", "Latency.", [0.25, 1.0], ("stage", "infer"));
        frames.Inc();
        frames.Inc(2);
        fps.Set(24.5);
        fps.Add(-0.5);
        // Binary-exact values: 0.125 -> le 0.25; 0.25 -> le 0.25 (bounds are inclusive); 0.5 -> le 1; 4 -> +Inf only.
        lat.Observe(0.125);
        lat.Observe(0.25);
        lat.Observe(0.5);
        lat.Observe(4);
        const string expected =
            "# HELP edge_frames_total Frames.\n" +
            "# TYPE edge_frames_total counter\n" +
            "edge_frames_total 3\n" +
            "# HELP edge_fps Frames per second.\n" +
            "# TYPE edge_fps gauge\n" +
            "edge_fps 24\n" +
            "# HELP edge_latency_seconds Latency.\n" +
            "# TYPE edge_latency_seconds histogram\n" +
            "edge_latency_seconds_bucket{stage=\"infer\",le=\"0.25\"} 2\n" +
            "edge_latency_seconds_bucket{stage=\"infer\",le=\"1\"} 3\n" +
            "edge_latency_seconds_bucket{stage=\"infer\",le=\"+Inf\"} 4\n" +
            "edge_latency_seconds_sum{stage=\"infer\"} 4.875\n" +
            "edge_latency_seconds_count{stage=\"infer\"} 4\n";
        Assert.Equal(expected, r.Render());
    }

    [Fact]
    public void LabelledSeries_ShareOneHelpAndType_AndValuesAreEscaped()
    {
        var r = new MetricsRegistry();
        r.CreateCounter("edge_dropped_frames_total", "Dropped.", ("stage", "capture")).Inc(4);
        r.CreateCounter("edge_dropped_frames_total", "Dropped.", ("stage", "we\"ird\\\n")).Inc();
        var text = r.Render();
        Assert.Equal(1, text.Split('\n').Count(l => l.StartsWith("# TYPE edge_dropped_frames_total", StringComparison.Ordinal)));
        Assert.Contains("edge_dropped_frames_total{stage=\"capture\"} 4\n", text);
        Assert.Contains("edge_dropped_frames_total{stage=\"we\\\"ird\\\\\\n\"} 1\n", text);
    }

    [Theory]
    [InlineData("fps")]
    [InlineData("edge_")]
    [InlineData("edge_fps-1")]
    [InlineData("other_fps")]
    public void Names_MustCarryTheEdgePrefix(string name) =>
        Assert.Throws<ArgumentException>(() => new MetricsRegistry().CreateGauge(name, "x"));

    [Fact]
    public void Duplicates_TypeClashes_AndBadBuckets_AreRejected()
    {
        var r = new MetricsRegistry();
        r.CreateGauge("edge_a", "a");
        Assert.Throws<ArgumentException>(() => r.CreateGauge("edge_a", "a"));
        Assert.Throws<ArgumentException>(() => r.CreateCounter("edge_a", "a", ("x", "1")));
        Assert.Throws<ArgumentException>(() => r.CreateHistogram("edge_h", "h", [0.1, 0.1]));
        Assert.Throws<ArgumentException>(() => r.CreateHistogram("edge_h", "h", [double.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => r.CreateHistogram("edge_h", "h", [1.0], ("le", "1")));
    }

    [Fact]
    public void Updates_DoNotAllocate()
    {
        var r = new MetricsRegistry();
        var c = r.CreateCounter("edge_c_total", "c");
        var g = r.CreateGauge("edge_g", "g");
        var h = r.CreateHistogram("edge_h_seconds", "h", EdgeMetrics.LatencyBounds);
        void Update(int n)
        {
            for (int i = 0; i < n; i++)
            {
                c.Inc();
                g.Set(i);
                g.Add(0.5);
                h.Observe(i * 1e-5);
                h.Observe(TimeSpan.FromTicks(i));
            }
        }
        // The first pass lets the JIT tier up (on-stack replacement allocates on this thread); three more are measured.
        Update(100_000);
        Assert.Equal(0, SteadyStateAllocations.Measure(() => Update(100_000)));
        Assert.Equal(4 * 200_000, h.Count);
    }

    [Fact]
    public void ConcurrentUpdates_AreNotLost()
    {
        var r = new MetricsRegistry();
        var c = r.CreateCounter("edge_c_total", "c");
        var g = r.CreateGauge("edge_g", "g");
        var h = r.CreateHistogram("edge_h", "h", [1.0]);
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                c.Inc();
                g.Add(1);
                h.Observe(0.5);
            }
        });
        Assert.Equal(200_000, c.Value);
        Assert.Equal(200_000, g.Value);
        Assert.Equal(200_000, h.Count);
        Assert.Equal(100_000, h.Sum);
    }

    [Fact]
    public void ObservedSeries_AreReadAtScrapeTime()
    {
        var r = new MetricsRegistry();
        double queue = 3;
        r.CreateObserved("edge_queue", "q", MetricType.Gauge, () => queue);
        Assert.Contains("edge_queue 3\n", r.Render());
        queue = 7;
        Assert.Contains("edge_queue 7\n", r.Render());
    }

    [Fact]
    public void EdgeMetrics_DefinesTheStandardSet()
    {
        var m = new EdgeMetrics(new MetricsRegistry());
        m.Latency("infer").Observe(0.04);
        m.Dropped("capture").Inc();
        m.FollowState.Set(1);
        var text = m.Registry.Render();
        foreach (var name in new[] { "edge_fps", "edge_stage_latency_seconds", "edge_dropped_frames_total", "edge_live_tracks", "edge_follow_state", "edge_source_reconnects_total" })
        {
            Assert.Contains($"# TYPE {name} ", text);
        }
        Assert.Contains("edge_stage_latency_seconds_bucket{stage=\"infer\",le=\"0.033\"} 0\n", text);
        Assert.Contains("edge_stage_latency_seconds_bucket{stage=\"infer\",le=\"0.05\"} 1\n", text);
        Assert.Contains("edge_dropped_frames_total{stage=\"capture\"} 1\n", text);
        Assert.Throws<ArgumentException>(() => m.Latency("nope"));
    }
}
