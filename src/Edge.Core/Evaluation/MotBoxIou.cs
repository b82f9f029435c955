namespace Edge.Evaluation;

/// <summary>IoU of MOTChallenge boxes given as (x, y, w, h) with x2 = x + w, exactly as TrackEval's
/// <c>_calculate_box_ious(..., box_format='xywh')</c>: degenerate boxes and unions score 0.</summary>
public static class MotBoxIou
{
    /// <summary>IoU of two rows' boxes in [0, 1].</summary>
    public static double Iou(in MotRecord a, in MotRecord b) => Iou(a.X, a.Y, a.Width, a.Height, b.X, b.Y, b.Width, b.Height);

    /// <summary>IoU of two (x, y, w, h) boxes in [0, 1].</summary>
    public static double Iou(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
    {
        double iw = Math.Max(Math.Min(ax + aw, bx + bw) - Math.Max(ax, bx), 0);
        double ih = Math.Max(Math.Min(ay + ah, by + bh) - Math.Max(ay, by), 0);
        double intersection = iw * ih;
        double areaA = aw * ah;
        double areaB = bw * bh;
        double union = areaA + areaB - intersection;
        if (areaA <= MotTolerance.Epsilon || areaB <= MotTolerance.Epsilon || union <= MotTolerance.Epsilon)
        {
            return 0;
        }
        return intersection / union;
    }
}
