using System.Runtime.CompilerServices;
using Edge.Assignment;

namespace Edge.Evaluation;

/// <summary>CLEAR MOT metrics (Bernardin &amp; Stiefelhagen 2008) as TrackEval computes them (<c>metrics/clear.py</c>).
/// Counts are stored; ratios are derived so that combining sequences is a plain sum.</summary>
public sealed record ClearMetrics(
    int TruePositives,
    int FalseNegatives,
    int FalsePositives,
    int IdSwitches,
    int MostlyTracked,
    int PartiallyTracked,
    int MostlyLost,
    int Fragmentations,
    double MotpSum,
    int Frames)
{
    private const double Threshold = 0.5;

    /// <summary>Ground-truth boxes: TP + FN.</summary>
    public int GtDetections => TruePositives + FalseNegatives;

    /// <summary>MOTA = 1 − (FN + FP + IDSW) / gt boxes.</summary>
    public double Mota => (TruePositives - FalsePositives - IdSwitches) / Math.Max(1.0, GtDetections);

    /// <summary>MODA = 1 − (FN + FP) / gt boxes.</summary>
    public double Moda => (TruePositives - FalsePositives) / Math.Max(1.0, GtDetections);

    /// <summary>Mean IoU of the matches (TrackEval's MOTP is a similarity, higher is better).</summary>
    public double Motp => MotpSum / Math.Max(1.0, TruePositives);

    /// <summary>TP / gt boxes.</summary>
    public double Recall => TruePositives / Math.Max(1.0, GtDetections);

    /// <summary>TP / tracker boxes.</summary>
    public double Precision => TruePositives / Math.Max(1.0, TruePositives + FalsePositives);

    /// <summary>Sums the counts of several sequences (TrackEval <c>combine_sequences</c>).</summary>
    public static ClearMetrics Combine(IEnumerable<ClearMetrics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var sum = new ClearMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        foreach (var p in parts)
        {
            sum = new ClearMetrics(
                sum.TruePositives + p.TruePositives,
                sum.FalseNegatives + p.FalseNegatives,
                sum.FalsePositives + p.FalsePositives,
                sum.IdSwitches + p.IdSwitches,
                sum.MostlyTracked + p.MostlyTracked,
                sum.PartiallyTracked + p.PartiallyTracked,
                sum.MostlyLost + p.MostlyLost,
                sum.Fragmentations + p.Fragmentations,
                sum.MotpSum + p.MotpSum,
                sum.Frames + p.Frames);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    internal static ClearMetrics Compute(PreparedSequence data, LinearAssignment solver)
    {
        int frames = data.Frames.Length;
        if (data.TrackerDetectionCount == 0)
        {
            return new ClearMetrics(0, data.GtDetectionCount, 0, 0, 0, 0, data.GtIdCount, 0, 0, frames);
        }
        if (data.GtDetectionCount == 0)
        {
            return new ClearMetrics(0, 0, data.TrackerDetectionCount, 0, 0, 0, 0, 0, 0, frames);
        }

        int numGt = data.GtIdCount;
        var gtIdCount = new int[numGt];
        var gtMatchedCount = new int[numGt];
        var gtFragCount = new int[numGt];
        // IDSW is scored against the last tracker id a gt object was matched to, however long ago; the 1000x
        // continuity bonus only uses the match in the previous scored frame (TrackEval's two arrays).
        var prevTrackerId = new int[numGt];
        var prevTimestepTrackerId = new int[numGt];
        var wasTracked = new bool[numGt];
        Array.Fill(prevTrackerId, -1);
        Array.Fill(prevTimestepTrackerId, -1);
        int tp = 0, fn = 0, fp = 0, idsw = 0;
        double motpSum = 0;
        double[] score = [];
        int[] rowToCol = [];

        foreach (var frame in data.Frames)
        {
            var gtIds = frame.GtIds;
            var trIds = frame.TrackerIds;
            int n = gtIds.Length;
            int m = trIds.Length;
            // Frames with no gt or no tracker boxes leave the previous-frame matches untouched, as in TrackEval.
            if (n == 0)
            {
                fp += m;
                continue;
            }
            if (m == 0)
            {
                fn += n;
                foreach (int g in gtIds)
                {
                    gtIdCount[g]++;
                }
                continue;
            }

            ScratchArray.EnsureLength(ref score, n * m);
            ScratchArray.EnsureLength(ref rowToCol, n);
            var sim = frame.Similarity;
            for (int i = 0; i < n; i++)
            {
                int previous = prevTimestepTrackerId[gtIds[i]];
                for (int j = 0; j < m; j++)
                {
                    double s = sim[i * m + j];
                    score[i * m + j] = s < Threshold - MotTolerance.Epsilon ? 0 : (trIds[j] == previous ? 1000 : 0) + s;
                }
            }
            solver.SolveMaxWeight(score.AsSpan(0, n * m), n, m, rowToCol);

            for (int g = 0; g < numGt; g++)
            {
                wasTracked[g] = prevTimestepTrackerId[g] >= 0;
            }
            Array.Fill(prevTimestepTrackerId, -1);
            int matches = 0;
            for (int i = 0; i < n; i++)
            {
                int g = gtIds[i];
                gtIdCount[g]++;
                int j = rowToCol[i];
                if (j < 0 || score[i * m + j] <= MotTolerance.Epsilon)
                {
                    continue;
                }
                int tr = trIds[j];
                if (prevTrackerId[g] >= 0 && prevTrackerId[g] != tr)
                {
                    idsw++;
                }
                gtMatchedCount[g]++;
                prevTrackerId[g] = tr;
                prevTimestepTrackerId[g] = tr;
                if (!wasTracked[g])
                {
                    gtFragCount[g]++;
                }
                motpSum += sim[i * m + j];
                matches++;
            }
            tp += matches;
            fn += n - matches;
            fp += m - matches;
        }

        int mt = 0, pt = 0, frag = 0;
        for (int g = 0; g < numGt; g++)
        {
            if (gtIdCount[g] > 0)
            {
                double ratio = (double)gtMatchedCount[g] / gtIdCount[g];
                if (ratio > 0.8)
                {
                    mt++;
                }
                else if (ratio >= 0.2)
                {
                    pt++;
                }
            }
            if (gtFragCount[g] > 0)
            {
                frag += gtFragCount[g] - 1;
            }
        }
        return new ClearMetrics(tp, fn, fp, idsw, mt, pt, numGt - mt - pt, frag, motpSum, frames);
    }
}
