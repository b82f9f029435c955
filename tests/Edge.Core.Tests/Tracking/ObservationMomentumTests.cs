using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.Tracking;

/// <summary>OC-SORT OCM (arXiv 2203.14360 §3.3): direction from observations Δt apart, OC-SORT's k_previous_obs, the
/// Eq. 6 term, and its effect on the first association.</summary>
public class ObservationMomentumTests
{
    private static BoxF At(float cx) => BoxF.FromCenter(cx, 100, 200, 400);

    [Fact]
    public void PreviousIsTheObservationDeltaTBackElseTheNearestWithinElseTheLatest()
    {
        var m = new ObservationMomentum();
        Assert.Null(m.Previous(1, 3));
        m.Record(1, At(10), 3);
        m.Record(2, At(20), 3);
        m.Record(4, At(40), 3);
        Assert.Equal(At(20), m.Previous(5, 3)); // frame 2 = 5 - 3
        Assert.Equal(At(40), m.Previous(6, 3)); // frame 3 missing, frame 4 = 6 - 2
        Assert.Equal(At(40), m.Previous(20, 3)); // nothing within 3 frames: the latest
    }

    [Fact]
    public void DirectionComesFromTheObservationDeltaTBack()
    {
        var m = new ObservationMomentum();
        m.Record(1, At(0), 3);
        Assert.Equal((0f, 0f), (m.DirectionX, m.DirectionY));
        m.Record(2, BoxF.FromCenter(3, 104, 200, 400), 3); // from frame 1 (latest, 2 - 1): (3, 4) / 5
        Assert.Equal(0.6f, m.DirectionX, 5);
        Assert.Equal(0.8f, m.DirectionY, 5);
        m.Record(3, At(3), 3);
        m.Record(4, BoxF.FromCenter(0, 90, 200, 400), 3); // from frame 1 (4 - 3), centre (0, 100): straight up
        Assert.Equal(0f, m.DirectionX, 5);
        Assert.Equal(-1f, m.DirectionY, 5);
    }

    [Fact]
    public void CostReductionIsWeightTimesScoreTimesAngleTerm()
    {
        var m = new ObservationMomentum();
        m.Record(1, At(0), 3);
        m.Record(2, At(10), 3); // moving +x
        Assert.Equal(0.2f * 0.9f * 0.5f, m.CostReduction(At(10), At(30), 0.9f, 0.2f), 4); // same direction
        Assert.Equal(-0.2f * 0.9f * 0.5f, m.CostReduction(At(10), At(-5), 0.9f, 0.2f), 4); // opposite
        Assert.Equal(0f, m.CostReduction(At(10), BoxF.FromCenter(10, 140, 200, 400), 0.9f, 0.2f), 5); // perpendicular
        Assert.Equal(0.2f * 0.9f * 0.25f, m.CostReduction(At(10), BoxF.FromCenter(20, 110, 200, 400), 0.9f, 0.2f), 4); // 45°
    }

    /// <summary>A wide person walking right at 10 px/frame; the next frame has a detection 45 px behind the prediction
    /// (higher IoU, but behind the observation three frames earlier: moving backwards) and one 55 px ahead. IoU alone
    /// takes the one behind; OCM takes the one consistent with the motion.</summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void MomentumPrefersTheDirectionConsistentDetection(bool ocm, int expectedIndex)
    {
        var tracker = new ByteTracker(TrackerOptions.Default with { ObservationCentricMomentum = ocm, CameraMotionCompensation = false });
        float x = 0;
        for (int f = 0; f < 8; f++, x += 10)
        {
            tracker.Update([new(BoxF.FromXywh(x, 0, 200, 400), 0.9f, 0)], TrackerFrameContext.None);
        }
        // x is now where the next observation would be; the last one was at x - 10, three frames back at x - 40.
        Detection.Detection[] candidates = [new(BoxF.FromXywh(x - 45, 0, 200, 400), 0.9f, 0), new(BoxF.FromXywh(x + 55, 0, 200, 400), 0.9f, 0)];
        var views = tracker.Update(candidates, TrackerFrameContext.None);
        int matched = -1;
        foreach (var v in views)
        {
            if (v.Id == 1)
            {
                matched = v.DetectionIndex;
            }
        }
        Assert.Equal(expectedIndex, matched);
    }

    [Fact]
    public void MomentumDeltaTMustFitTheRing()
    {
        var ex = Assert.Throws<EdgeException>(() => new ByteTracker(TrackerOptions.Default with { MomentumDeltaT = ObservationMomentum.MaxDeltaT + 1 }));
        Assert.Contains("delta_t", ex.Message);
    }
}
