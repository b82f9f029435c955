using System.Runtime.CompilerServices;
using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>
/// OC-SORT's observation-centric momentum (OCM, Cao et al., arXiv 2203.14360 §3.3, Eq. 6; <c>ocsort.py</c>
/// <c>associate</c>): a track's motion direction is measured between two real observations Δt frames apart rather
/// than taken from the filter, and a detection whose direction from the track's observation Δt frames back agrees
/// with it is preferred. Per track it keeps the last <see cref="MaxDeltaT"/> observations in a ring (no allocation).
/// </summary>
internal struct ObservationMomentum
{
    /// <summary>Largest Δt the ring can serve.</summary>
    public const int MaxDeltaT = 8;

    private Boxes _boxes;
    private Frames _frames;
    private int _count;
    private int _next;

    /// <summary>Unit direction (x, y) of the track's motion between observations; (0, 0) until two are known.</summary>
    public float DirectionX;
    public float DirectionY;

    public void Reset()
    {
        _count = 0;
        _next = 0;
        DirectionX = 0;
        DirectionY = 0;
    }

    /// <summary>Records the observation of <paramref name="frame"/> and updates the direction from the observation
    /// Δt frames back (the oldest one within Δt, else the latest), as OC-SORT's <c>KalmanBoxTracker.update</c>.</summary>
    public void Record(int frame, in BoxF box, int deltaT)
    {
        if (_count > 0)
        {
            BoxF previous = Previous(frame, deltaT)!.Value;
            (DirectionX, DirectionY) = Direction(previous, box);
        }
        _boxes[_next] = box;
        _frames[_next] = frame;
        _next = (_next + 1) % MaxDeltaT;
        _count = Math.Min(_count + 1, MaxDeltaT);
    }

    /// <summary>OC-SORT's <c>k_previous_obs</c>: the observation of frame − Δt, else of frame − Δt + 1, …, frame − 1,
    /// else the latest one. Null without any observation.</summary>
    public readonly BoxF? Previous(int frame, int deltaT)
    {
        if (_count == 0)
        {
            return null;
        }
        for (int dt = deltaT; dt >= 1; dt--)
        {
            for (int k = 0; k < _count; k++)
            {
                if (_frames[k] == frame - dt)
                {
                    return _boxes[k];
                }
            }
        }
        return _boxes[(_next - 1 + MaxDeltaT) % MaxDeltaT];
    }

    /// <summary>The OCM term of Eq. 6 for one track/detection pair, as a cost reduction: weight · score ·
    /// (π/2 − Δθ) / π, where Δθ is the angle between the track direction and the direction from the track's
    /// observation Δt back to the detection. Positive when they agree (at most weight · score / 2), negative when
    /// they oppose, zero for a track without a direction.</summary>
    public readonly float CostReduction(in BoxF previous, in BoxF detection, float score, float weight)
    {
        if (DirectionX == 0 && DirectionY == 0)
        {
            return 0;
        }
        (float x, float y) = Direction(previous, detection);
        float cos = Math.Clamp((DirectionX * x) + (DirectionY * y), -1f, 1f);
        return weight * score * ((MathF.PI / 2f) - MathF.Acos(cos)) / MathF.PI;
    }

    /// <summary>OC-SORT's <c>speed_direction</c>: unit vector between box centres (1e-6 added to the norm).</summary>
    private static (float X, float Y) Direction(in BoxF from, in BoxF to)
    {
        float dx = to.CenterX - from.CenterX, dy = to.CenterY - from.CenterY;
        float norm = MathF.Sqrt((dx * dx) + (dy * dy)) + 1e-6f;
        return (dx / norm, dy / norm);
    }

    [InlineArray(MaxDeltaT)]
    private struct Boxes
    {
        private BoxF _element;
    }

    [InlineArray(MaxDeltaT)]
    private struct Frames
    {
        private int _element;
    }
}
