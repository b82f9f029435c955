using System.Runtime.CompilerServices;
using Edge.Assignment;

namespace Edge.Evaluation;

/// <summary>HOTA (Luiten et al. 2021, "HOTA: A Higher Order Metric for Evaluating Multi-Object Tracking", IJCV) as
/// TrackEval computes it (<c>metrics/hota.py</c>): detection, association and localisation accuracy at 19
/// localisation thresholds α = 0.05, 0.10, …, 0.95; the headline values are the means over α.</summary>
public sealed class HotaMetrics
{
    /// <summary>Number of α thresholds.</summary>
    public const int AlphaCount = 19;

    /// <summary>The α thresholds, computed as numpy's <c>arange(0.05, 0.99, 0.05)</c> does (0.05 + i·0.05).</summary>
    public static IReadOnlyList<double> Alphas { get; } = Enumerable.Range(0, AlphaCount).Select(i => 0.05 + i * 0.05).ToArray();

    private readonly int[] _tp;
    private readonly int[] _fn;
    private readonly int[] _fp;
    private readonly double[] _assA;
    private readonly double[] _assRe;
    private readonly double[] _assPr;
    private readonly double[] _locA;

    /// <summary>Creates metrics from per-α counts and association/localisation scores (arrays of length 19).</summary>
    public HotaMetrics(int[] truePositives, int[] falseNegatives, int[] falsePositives, double[] assA, double[] assRe, double[] assPr, double[] locA)
    {
        foreach (var a in new Array[] { truePositives, falseNegatives, falsePositives, assA, assRe, assPr, locA })
        {
            if (a.Length != AlphaCount)
            {
                throw new ArgumentException($"HOTA arrays need {AlphaCount} values (one per alpha), got {a.Length}.");
            }
        }
        _tp = (int[])truePositives.Clone();
        _fn = (int[])falseNegatives.Clone();
        _fp = (int[])falsePositives.Clone();
        _assA = (double[])assA.Clone();
        _assRe = (double[])assRe.Clone();
        _assPr = (double[])assPr.Clone();
        _locA = (double[])locA.Clone();
        DetAPerAlpha = Per(a => _tp[a] / (double)Math.Max(1, _tp[a] + _fn[a] + _fp[a]));
        DetRePerAlpha = Per(a => _tp[a] / (double)Math.Max(1, _tp[a] + _fn[a]));
        DetPrPerAlpha = Per(a => _tp[a] / (double)Math.Max(1, _tp[a] + _fp[a]));
        HotaPerAlpha = Per(a => Math.Sqrt(DetAPerAlpha[a] * _assA[a]));
    }

    private static double[] Per(Func<int, double> value)
    {
        var result = new double[AlphaCount];
        for (int a = 0; a < AlphaCount; a++)
        {
            result[a] = value(a);
        }
        return result;
    }

    /// <summary>True positives (matched pairs with IoU ≥ α) per α.</summary>
    public IReadOnlyList<int> TruePositives => _tp;

    /// <summary>Unmatched gt boxes per α.</summary>
    public IReadOnlyList<int> FalseNegatives => _fn;

    /// <summary>Unmatched tracker boxes per α.</summary>
    public IReadOnlyList<int> FalsePositives => _fp;

    /// <summary>Association accuracy per α.</summary>
    public IReadOnlyList<double> AssAPerAlpha => _assA;

    /// <summary>Association recall per α.</summary>
    public IReadOnlyList<double> AssRePerAlpha => _assRe;

    /// <summary>Association precision per α.</summary>
    public IReadOnlyList<double> AssPrPerAlpha => _assPr;

    /// <summary>Localisation accuracy (mean IoU of the α-matches) per α.</summary>
    public IReadOnlyList<double> LocAPerAlpha => _locA;

    /// <summary>Detection accuracy TP / (TP + FN + FP) per α.</summary>
    public IReadOnlyList<double> DetAPerAlpha { get; }

    /// <summary>Detection recall per α.</summary>
    public IReadOnlyList<double> DetRePerAlpha { get; }

    /// <summary>Detection precision per α.</summary>
    public IReadOnlyList<double> DetPrPerAlpha { get; }

    /// <summary>HOTA(α) = sqrt(DetA(α) · AssA(α)).</summary>
    public IReadOnlyList<double> HotaPerAlpha { get; }

    /// <summary>HOTA averaged over α.</summary>
    public double Hota => HotaPerAlpha.Average();

    /// <summary>DetA averaged over α.</summary>
    public double DetA => DetAPerAlpha.Average();

    /// <summary>AssA averaged over α.</summary>
    public double AssA => _assA.Average();

    /// <summary>DetRe averaged over α.</summary>
    public double DetRe => DetRePerAlpha.Average();

    /// <summary>DetPr averaged over α.</summary>
    public double DetPr => DetPrPerAlpha.Average();

    /// <summary>AssRe averaged over α.</summary>
    public double AssRe => _assRe.Average();

    /// <summary>AssPr averaged over α.</summary>
    public double AssPr => _assPr.Average();

    /// <summary>LocA averaged over α.</summary>
    public double LocA => _locA.Average();

    /// <summary>Combines sequences as TrackEval does: per α, counts are summed, AssA/AssRe/AssPr and LocA are
    /// averaged weighted by each sequence's TP.</summary>
    public static HotaMetrics Combine(IEnumerable<HotaMetrics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        var tp = new int[AlphaCount];
        var fn = new int[AlphaCount];
        var fp = new int[AlphaCount];
        var assA = new double[AlphaCount];
        var assRe = new double[AlphaCount];
        var assPr = new double[AlphaCount];
        var locA = new double[AlphaCount];
        for (int a = 0; a < AlphaCount; a++)
        {
            double locSum = 0;
            foreach (var p in list)
            {
                tp[a] += p._tp[a];
                fn[a] += p._fn[a];
                fp[a] += p._fp[a];
                assA[a] += p._assA[a] * p._tp[a];
                assRe[a] += p._assRe[a] * p._tp[a];
                assPr[a] += p._assPr[a] * p._tp[a];
                locSum += p._locA[a] * p._tp[a];
            }
            double weight = Math.Max(1.0, tp[a]);
            assA[a] /= weight;
            assRe[a] /= weight;
            assPr[a] /= weight;
            locA[a] = Math.Max(1e-10, locSum) / Math.Max(1e-10, tp[a]);
        }
        return new HotaMetrics(tp, fn, fp, assA, assRe, assPr, locA);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    internal static HotaMetrics Compute(PreparedSequence data, LinearAssignment solver)
    {
        var tp = new int[AlphaCount];
        var fn = new int[AlphaCount];
        var fp = new int[AlphaCount];
        var assA = new double[AlphaCount];
        var assRe = new double[AlphaCount];
        var assPr = new double[AlphaCount];
        var locA = new double[AlphaCount];
        if (data.TrackerDetectionCount == 0 || data.GtDetectionCount == 0)
        {
            Array.Fill(fn, data.GtDetectionCount);
            Array.Fill(fp, data.TrackerDetectionCount);
            Array.Fill(locA, 1.0);
            return new HotaMetrics(tp, fn, fp, assA, assRe, assPr, locA);
        }

        // Pass 1: soft co-occurrence of each (gt id, tracker id) pair, each det's IoU normalised by how much it
        // overlaps everything else in the frame; gives the global alignment score that steers the per-frame matching.
        var gtIdCount = new int[data.GtIdCount];
        var trIdCount = new int[data.TrackerIdCount];
        var potential = new Dictionary<(int Gt, int Tracker), double>();
        double[] rowSum = [];
        double[] colSum = [];
        foreach (var frame in data.Frames)
        {
            int n = frame.GtIds.Length;
            int m = frame.TrackerIds.Length;
            foreach (int g in frame.GtIds)
            {
                gtIdCount[g]++;
            }
            foreach (int t in frame.TrackerIds)
            {
                trIdCount[t]++;
            }
            if (n == 0 || m == 0)
            {
                continue;
            }
            ScratchArray.EnsureLength(ref rowSum, n);
            ScratchArray.EnsureLength(ref colSum, m);
            var sim = frame.Similarity;
            rowSum.AsSpan(0, n).Clear();
            colSum.AsSpan(0, m).Clear();
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    rowSum[i] += sim[i * m + j];
                    colSum[j] += sim[i * m + j];
                }
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double s = sim[i * m + j];
                    double denom = rowSum[i] + colSum[j] - s;
                    if (s > 0 && denom > MotTolerance.Epsilon)
                    {
                        var key = (frame.GtIds[i], frame.TrackerIds[j]);
                        potential[key] = potential.GetValueOrDefault(key) + s / denom;
                    }
                }
            }
        }

        // Pass 2: per frame, Hungarian on alignment × IoU; a pair counts at every α its IoU reaches.
        var matchCounts = new Dictionary<(int Gt, int Tracker), int[]>();
        var locSum = new double[AlphaCount];
        double[] score = [];
        int[] rowToCol = [];
        var matchesPerAlpha = new int[AlphaCount];
        foreach (var frame in data.Frames)
        {
            int n = frame.GtIds.Length;
            int m = frame.TrackerIds.Length;
            if (n == 0 || m == 0)
            {
                for (int a = 0; a < AlphaCount; a++)
                {
                    fp[a] += m;
                    fn[a] += n;
                }
                continue;
            }
            ScratchArray.EnsureLength(ref score, n * m);
            ScratchArray.EnsureLength(ref rowToCol, n);
            var sim = frame.Similarity;
            for (int i = 0; i < n; i++)
            {
                int g = frame.GtIds[i];
                for (int j = 0; j < m; j++)
                {
                    double s = sim[i * m + j];
                    double alignment = 0;
                    if (s > 0 && potential.TryGetValue((g, frame.TrackerIds[j]), out double pm))
                    {
                        alignment = pm / (gtIdCount[g] + trIdCount[frame.TrackerIds[j]] - pm);
                    }
                    score[i * m + j] = alignment * s;
                }
            }
            solver.SolveMaxWeight(score.AsSpan(0, n * m), n, m, rowToCol);

            Array.Clear(matchesPerAlpha);
            for (int i = 0; i < n; i++)
            {
                int j = rowToCol[i];
                if (j < 0)
                {
                    continue;
                }
                double s = sim[i * m + j];
                int[]? counts = null;
                for (int a = 0; a < AlphaCount; a++)
                {
                    if (s < Alphas[a] - MotTolerance.Epsilon)
                    {
                        break;
                    }
                    if (counts is null)
                    {
                        var key = (frame.GtIds[i], frame.TrackerIds[j]);
                        if (!matchCounts.TryGetValue(key, out counts))
                        {
                            counts = new int[AlphaCount];
                            matchCounts[key] = counts;
                        }
                    }
                    counts[a]++;
                    matchesPerAlpha[a]++;
                    locSum[a] += s;
                }
            }
            for (int a = 0; a < AlphaCount; a++)
            {
                tp[a] += matchesPerAlpha[a];
                fn[a] += n - matchesPerAlpha[a];
                fp[a] += m - matchesPerAlpha[a];
            }
        }

        // Association: per matched id pair, its TPA / (TPA + FNA + FPA), weighted by TPA and averaged over TP.
        foreach (var ((g, t), counts) in matchCounts)
        {
            for (int a = 0; a < AlphaCount; a++)
            {
                double c = counts[a];
                if (c == 0)
                {
                    continue;
                }
                assA[a] += c * c / Math.Max(1.0, gtIdCount[g] + trIdCount[t] - c);
                assRe[a] += c * c / Math.Max(1.0, gtIdCount[g]);
                assPr[a] += c * c / Math.Max(1.0, trIdCount[t]);
            }
        }
        for (int a = 0; a < AlphaCount; a++)
        {
            double weight = Math.Max(1.0, tp[a]);
            assA[a] /= weight;
            assRe[a] /= weight;
            assPr[a] /= weight;
            locA[a] = Math.Max(1e-10, locSum[a]) / Math.Max(1e-10, tp[a]);
        }
        return new HotaMetrics(tp, fn, fp, assA, assRe, assPr, locA);
    }
}
