using System.Runtime.CompilerServices;
using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>IoU as trackers compute it for association.</summary>
public static class BoxOverlap
{
    /// <summary>IoU of two boxes; with <paramref name="legacyPixel"/> widths and heights get "+1 pixel" as
    /// <c>cython_bbox.bbox_overlaps</c> (used by ByteTrack's reference), overlap 0 when a +1 side is &lt;= 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IoU(in BoxF a, in BoxF b, bool legacyPixel)
    {
        if (!legacyPixel)
        {
            return a.IoU(b);
        }
        double iw = (Math.Min(a.X2, b.X2) - (double)Math.Max(a.X1, b.X1)) + 1;
        if (iw <= 0)
        {
            return 0f;
        }
        double ih = (Math.Min(a.Y2, b.Y2) - (double)Math.Max(a.Y1, b.Y1)) + 1;
        if (ih <= 0)
        {
            return 0f;
        }
        double areaA = ((double)a.X2 - a.X1 + 1) * ((double)a.Y2 - a.Y1 + 1);
        double areaB = ((double)b.X2 - b.X1 + 1) * ((double)b.Y2 - b.Y1 + 1);
        double inter = iw * ih;
        return (float)(inter / (areaA + areaB - inter));
    }
}
