using System.Runtime.CompilerServices;
using Edge.Assignment;

namespace Edge.Evaluation;

/// <summary>Identity metrics (Ristani et al. 2016, "Performance Measures and a Data Set for Multi-Target,
/// Multi-Camera Tracking") as TrackEval computes them (<c>metrics/identity.py</c>): one global one-to-one
/// gt-id ↔ tracker-id assignment per sequence maximising the frames where the pair overlaps at IoU ≥ 0.5.</summary>
public sealed record IdentityMetrics(int IdTruePositives, int IdFalseNegatives, int IdFalsePositives)
{
    private const double Threshold = 0.5;

    /// <summary>IDF1 = 2 IDTP / (2 IDTP + IDFP + IDFN).</summary>
    public double Idf1 => IdTruePositives / Math.Max(1.0, IdTruePositives + 0.5 * IdFalsePositives + 0.5 * IdFalseNegatives);

    /// <summary>IDR = IDTP / (IDTP + IDFN).</summary>
    public double IdRecall => IdTruePositives / Math.Max(1.0, IdTruePositives + IdFalseNegatives);

    /// <summary>IDP = IDTP / (IDTP + IDFP).</summary>
    public double IdPrecision => IdTruePositives / Math.Max(1.0, IdTruePositives + IdFalsePositives);

    /// <summary>Sums the counts of several sequences.</summary>
    public static IdentityMetrics Combine(IEnumerable<IdentityMetrics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        int tp = 0, fn = 0, fp = 0;
        foreach (var p in parts)
        {
            tp += p.IdTruePositives;
            fn += p.IdFalseNegatives;
            fp += p.IdFalsePositives;
        }
        return new IdentityMetrics(tp, fn, fp);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    internal static IdentityMetrics Compute(PreparedSequence data, LinearAssignment solver)
    {
        if (data.TrackerDetectionCount == 0)
        {
            return new IdentityMetrics(0, data.GtDetectionCount, 0);
        }
        if (data.GtDetectionCount == 0)
        {
            return new IdentityMetrics(0, 0, data.TrackerDetectionCount);
        }

        // Frames in which each (gt id, tracker id) pair overlaps at IoU >= 0.5. TrackEval minimises IDFN + IDFP over
        // an augmented (G+T)² matrix; that total is (gt boxes + tracker boxes − 2·IDTP), so the same assignment is the
        // maximum-weight matching of these counts, solved here on the ids that have any overlap at all.
        var overlap = new Dictionary<(int Gt, int Tracker), int>();
        foreach (var frame in data.Frames)
        {
            int m = frame.TrackerIds.Length;
            for (int i = 0; i < frame.GtIds.Length; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    if (frame.Similarity[i * m + j] >= Threshold)
                    {
                        var key = (frame.GtIds[i], frame.TrackerIds[j]);
                        overlap[key] = overlap.GetValueOrDefault(key) + 1;
                    }
                }
            }
        }

        var gtIndex = new Dictionary<int, int>();
        var trIndex = new Dictionary<int, int>();
        foreach (var (g, t) in overlap.Keys)
        {
            gtIndex.TryAdd(g, gtIndex.Count);
            trIndex.TryAdd(t, trIndex.Count);
        }
        int rows = gtIndex.Count;
        int cols = trIndex.Count;
        var weights = new double[rows * cols];
        foreach (var ((g, t), count) in overlap)
        {
            weights[gtIndex[g] * cols + trIndex[t]] = count;
        }
        var rowToCol = new int[rows];
        solver.SolveMaxWeight(weights, rows, cols, rowToCol);
        int idtp = 0;
        for (int r = 0; r < rows; r++)
        {
            if (rowToCol[r] >= 0)
            {
                idtp += (int)weights[r * cols + rowToCol[r]];
            }
        }
        return new IdentityMetrics(idtp, data.GtDetectionCount - idtp, data.TrackerDetectionCount - idtp);
    }
}
