using Edge.Geometry;

namespace Edge.Evaluation;

/// <summary>
/// A known, smooth global camera motion (pan and zoom) laid over a sequence that has no images, so camera-motion
/// compensation can be scored on MOTChallenge text data: every detection and ground-truth box of frame f is mapped
/// through the camera pose of f, and the tracker can be given the exact frame-to-frame warp, as a perfect GMC
/// estimator would (BoT-SORT, arXiv 2206.14651 §3.2). Pan and zoom keep boxes axis-aligned and leave IoU between
/// boxes of the same frame unchanged, so only the tracker's motion model is tested, not the scoring.
/// </summary>
/// <remarks>Pose of frame f: image = s(f) · (world − c) + c + t(f), with s(f) = 1 + Zoom · sin(2πf / ZoomPeriod),
/// t(f) = (PanX · sin(2πf / PanPeriodX), PanY · sin(2πf / PanPeriodY)) and c the image centre. Boxes are not
/// clipped to the image: the point is the motion, not people leaving the view.</remarks>
/// <param name="CenterX">Zoom centre (image centre), pixels.</param>
/// <param name="CenterY">Zoom centre, pixels.</param>
/// <param name="PanX">Horizontal pan amplitude, pixels.</param>
/// <param name="PanPeriodX">Horizontal pan period, frames.</param>
/// <param name="PanY">Vertical pan amplitude, pixels.</param>
/// <param name="PanPeriodY">Vertical pan period, frames.</param>
/// <param name="Zoom">Relative zoom amplitude (0.2 = ±20 %).</param>
/// <param name="ZoomPeriod">Zoom period, frames.</param>
public sealed record SyntheticCameraMotion(double CenterX, double CenterY, double PanX, double PanPeriodX, double PanY,
    double PanPeriodY, double Zoom, double ZoomPeriod)
{
    /// <summary>The preset used in docs/tracking.md: a ±300 px horizontal sweep every 200 frames (up to 9.4 px/frame),
    /// ±60 px vertical every 130 frames and ±20 % zoom every 300 frames, centred on the image.</summary>
    public static SyntheticCameraMotion PanZoom(int imageWidth, int imageHeight) =>
        new(imageWidth / 2.0, imageHeight / 2.0, 300, 200, 60, 130, 0.2, 300);

    /// <summary>Scale and translation of frame <paramref name="frame"/>'s pose.</summary>
    public (double Scale, double Tx, double Ty) Pose(int frame) =>
        (1 + (Zoom * Math.Sin(2 * Math.PI * frame / ZoomPeriod)),
         PanX * Math.Sin(2 * Math.PI * frame / PanPeriodX),
         PanY * Math.Sin(2 * Math.PI * frame / PanPeriodY));

    /// <summary>The row with its box mapped through the pose of its frame.</summary>
    public MotRecord Apply(in MotRecord row)
    {
        (double s, double tx, double ty) = Pose(row.Frame);
        return row with
        {
            X = (s * (row.X - CenterX)) + CenterX + tx,
            Y = (s * (row.Y - CenterY)) + CenterY + ty,
            Width = s * row.Width,
            Height = s * row.Height,
        };
    }

    public List<MotRecord> Apply(IReadOnlyList<MotRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new List<MotRecord>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(Apply(row));
        }
        return result;
    }

    /// <summary>The warp from frame − 1's pixels to <paramref name="frame"/>'s (what a GMC estimator should return):
    /// p = k · (p' − c − t(f − 1)) + c + t(f), k = s(f) / s(f − 1).</summary>
    public Affine2D Between(int frame)
    {
        (double s0, double x0, double y0) = Pose(frame - 1);
        (double s1, double x1, double y1) = Pose(frame);
        double k = s1 / s0;
        return new Affine2D((float)k, 0f, (float)((-k * (CenterX + x0)) + CenterX + x1),
            0f, (float)k, (float)((-k * (CenterY + y0)) + CenterY + y1));
    }
}
