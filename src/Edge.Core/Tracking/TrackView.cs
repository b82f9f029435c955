using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>What a tracker reports for one track after an update. A value type so a frame's result is a
/// pooled span, not a list of objects.</summary>
/// <param name="Id">Stable per tracker instance, starting at 1.</param>
/// <param name="Box">The filtered box in source pixels (the Kalman estimate after the update, or the
/// prediction when <see cref="FramesSinceUpdate"/> &gt; 0).</param>
/// <param name="Score">Score of the last matched detection.</param>
/// <param name="ClassId">Class of the last matched detection.</param>
/// <param name="State">Life-cycle state.</param>
/// <param name="FramesSinceUpdate">0 when matched in this frame.</param>
/// <param name="DetectionIndex">Index of the detection matched in this frame, or -1.</param>
/// <param name="VelocityX">Box-centre velocity estimate, pixels per frame.</param>
/// <param name="VelocityY">Box-centre velocity estimate, pixels per frame.</param>
public readonly record struct TrackView(
    int Id,
    BoxF Box,
    float Score,
    int ClassId,
    TrackState State,
    int FramesSinceUpdate,
    int DetectionIndex,
    float VelocityX,
    float VelocityY)
{
    public bool IsMatched => FramesSinceUpdate == 0 && DetectionIndex >= 0;

    /// <summary>The secondary classifier's smoothed label of this track (a cached name string), or null when no
    /// classifier runs or it has not seen the track often enough yet. Set after tracking, not by trackers.</summary>
    public string? Label { get; init; }

    /// <summary>Mean probability of <see cref="Label"/> over the track's classified crops (0 without a label).</summary>
    public float LabelConfidence { get; init; }
}
