using Edge.Geometry;

namespace Edge.Evaluation;

/// <summary>One line of a MOTChallenge text file (ground truth, detections or tracker results):
/// <c>frame, id, x, y, w, h, conf, class, visibility</c> with a 1-based frame and a top-left box in pixels.</summary>
/// <param name="Frame">1-based frame number.</param>
/// <param name="Id">Object or track id; -1 in detection files.</param>
/// <param name="X">Left edge in pixels.</param>
/// <param name="Y">Top edge in pixels.</param>
/// <param name="Width">Box width in pixels.</param>
/// <param name="Height">Box height in pixels.</param>
/// <param name="Confidence">Detection or track score. In ground truth this column is the "consider" flag
/// (0 = ignore the box), see <see cref="IsConsidered"/>.</param>
/// <param name="ClassId">MOT17/MOT20 ground-truth class (1 = pedestrian); -1 when the column is absent or unused.</param>
/// <param name="Visibility">MOT17/MOT20 ground-truth visibility ratio in [0, 1]; -1 when absent or unused.</param>
public readonly record struct MotRecord(
    int Frame,
    int Id,
    double X,
    double Y,
    double Width,
    double Height,
    double Confidence = 1,
    int ClassId = -1,
    double Visibility = -1)
{
    /// <summary>Ground truth: false for boxes flagged 0 in the seventh column, which every benchmark ignores.
    /// TrackEval reads the flag as an integer (<c>astype(int)</c>), so 0.5 counts as 0.</summary>
    public bool IsConsidered => (int)Confidence != 0;

    /// <summary>The box as corners in pixels.</summary>
    public BoxF Box => BoxF.FromXywh((float)X, (float)Y, (float)Width, (float)Height);
}
