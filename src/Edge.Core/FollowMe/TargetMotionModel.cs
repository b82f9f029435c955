using Edge.Geometry;

namespace Edge.FollowMe;

/// <summary>The lock's own constant-velocity model of the target's box centre (an alpha-beta filter), so it can
/// coast on prediction while the tracker has no track for the target. Size is smoothed but not extrapolated:
/// a size velocity extrapolated over a second of occlusion diverges far more often than it helps.</summary>
public sealed class TargetMotionModel
{
    // Gains of the alpha-beta filter on the (already Kalman-filtered) tracker boxes: follow position closely,
    // let the velocity settle over ~10 frames.
    private const float PositionGain = 0.7f;
    private const float VelocityGain = 0.1f;
    private const float SizeGain = 0.3f;

    private float _cx, _cy, _w, _h, _vx, _vy;
    private int _framesSinceMeasurement;

    /// <summary>Frames since the last <see cref="Correct"/>.</summary>
    public int FramesSinceMeasurement => _framesSinceMeasurement;

    public BoxF Box => BoxF.FromCenter(_cx, _cy, _w, _h);

    /// <summary>Centre of the last measured box (where the target was last seen).</summary>
    public (float X, float Y) LastSeenCenter { get; private set; }

    /// <summary>Centre velocity, pixels per frame.</summary>
    public float VelocityX => _vx;

    /// <summary>Centre velocity, pixels per frame.</summary>
    public float VelocityY => _vy;

    /// <summary>Starts from a box with a velocity (pixels per frame), e.g. the tracker's estimate.</summary>
    public void Initialize(in BoxF box, float velocityX, float velocityY)
    {
        (_cx, _cy, _w, _h) = (box.CenterX, box.CenterY, box.Width, box.Height);
        (_vx, _vy) = (velocityX, velocityY);
        LastSeenCenter = (_cx, _cy);
        _framesSinceMeasurement = 0;
    }

    /// <summary>Advances <paramref name="frames"/> frames (more than one when frames were dropped).</summary>
    public void Predict(int frames = 1)
    {
        _cx += frames * _vx;
        _cy += frames * _vy;
        _framesSinceMeasurement += frames;
    }

    /// <summary>Maps the state through the previous-to-current camera warp (positions by the full transform,
    /// velocity and size by its linear part).</summary>
    public void Warp(in Affine2D motion)
    {
        (_cx, _cy) = motion.Apply(_cx, _cy);
        LastSeenCenter = motion.Apply(LastSeenCenter.X, LastSeenCenter.Y);
        (_vx, _vy) = (motion.A * _vx + motion.B * _vy, motion.C * _vx + motion.D * _vy);
        float scale = MathF.Sqrt(MathF.Abs(motion.A * motion.D - motion.B * motion.C));
        _w *= scale;
        _h *= scale;
    }

    /// <summary>Corrects with a measured box after <see cref="Predict"/>. After a gap of n frames the residual
    /// built up over n frames, so the velocity correction is divided by n.</summary>
    public void Correct(in BoxF box)
    {
        int gap = Math.Max(1, _framesSinceMeasurement);
        float rx = box.CenterX - _cx, ry = box.CenterY - _cy;
        float alpha = gap > 1 ? 1f : PositionGain;
        _cx += alpha * rx;
        _cy += alpha * ry;
        _vx += VelocityGain * rx / gap;
        _vy += VelocityGain * ry / gap;
        float sizeGain = gap > 1 ? 1f : SizeGain;
        _w += sizeGain * (box.Width - _w);
        _h += sizeGain * (box.Height - _h);
        LastSeenCenter = (box.CenterX, box.CenterY);
        _framesSinceMeasurement = 0;
    }
}
