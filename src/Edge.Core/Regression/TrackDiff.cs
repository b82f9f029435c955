using Edge.Evaluation;

namespace Edge.Regression;

/// <summary>A golden track that continued under a different current id at <paramref name="Frame"/> (1-based, as in
/// the MOTChallenge file).</summary>
public sealed record IdChange(int Frame, int GoldenId, int PreviousId, int CurrentId);

/// <summary>Tracks of a replay against the golden tracks, scored as ground truth with the project's MOT metrics.</summary>
/// <param name="Metrics">CLEAR, Identity and HOTA of the current tracks with the golden as ground truth: identical
/// tracks give IDSW 0 and IDF1 1 whatever the id numbers, an identity change gives IDSW &gt; 0 and IDF1 &lt; 1.</param>
/// <param name="IdChanges">Where identities changed (same matching rule as CLEAR's IDSW: IoU ≥ 0.5, an existing
/// pairing kept while it still overlaps).</param>
public sealed record TrackDiffResult(int GoldenRows, int CurrentRows, int GoldenIds, int CurrentIds, MotMetrics Metrics, IReadOnlyList<IdChange> IdChanges);

/// <summary>Scores current MOTChallenge rows against golden rows with <see cref="MotEvaluator"/> (2D MOT 2015 rules, so
/// nothing is filtered) and lists the frames where identities changed.</summary>
public static class TrackDiff
{
    private const double MatchIou = 0.5;

    public static TrackDiffResult Compare(IReadOnlyList<MotRecord> golden, IReadOnlyList<MotRecord> current, int frameCount)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(current);
        int frames = Math.Max(frameCount, Math.Max(MaxFrame(golden), MaxFrame(current)));
        // Result files carry the track score in column 7, which ground truth reads as the "consider" flag:
        // every golden row is ground truth here, so the flag is set to 1.
        var groundTruth = golden.Select(r => r with { Confidence = 1, ClassId = -1, Visibility = -1 }).ToList();
        var metrics = MotEvaluator.EvaluateSequence(groundTruth, current, MotBenchmark.Mot15, frames, "regression");
        return new TrackDiffResult(golden.Count, current.Count, golden.Select(r => r.Id).Distinct().Count(),
            current.Select(r => r.Id).Distinct().Count(), metrics, IdChanges(golden, current));
    }

    /// <summary>Frame-by-frame identity continuity: per frame, golden boxes keep their previous current id while it
    /// still overlaps at IoU ≥ 0.5, the rest are matched greedily by IoU; a golden id matched to a different current
    /// id than the last time it was matched is an identity change.</summary>
    public static IReadOnlyList<IdChange> IdChanges(IReadOnlyList<MotRecord> golden, IReadOnlyList<MotRecord> current)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(current);
        var goldenByFrame = golden.GroupBy(r => r.Frame).ToDictionary(g => g.Key, g => g.ToList());
        var currentByFrame = current.GroupBy(r => r.Frame).ToDictionary(g => g.Key, g => g.ToList());
        var last = new Dictionary<int, int>();
        var changes = new List<IdChange>();
        foreach (int frame in goldenByFrame.Keys.Order())
        {
            var g = goldenByFrame[frame];
            if (!currentByFrame.TryGetValue(frame, out var c))
            {
                continue;
            }
            var candidates = new List<(int G, int C, double Score)>();
            for (int i = 0; i < g.Count; i++)
            {
                for (int j = 0; j < c.Count; j++)
                {
                    double iou = g[i].Box.IoU(c[j].Box);
                    if (iou >= MatchIou)
                    {
                        bool continues = last.TryGetValue(g[i].Id, out int previous) && previous == c[j].Id;
                        candidates.Add((i, j, (continues ? 1000 : 0) + iou));
                    }
                }
            }
            candidates.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.G != b.G ? a.G.CompareTo(b.G) : a.C.CompareTo(b.C));
            var usedG = new bool[g.Count];
            var usedC = new bool[c.Count];
            foreach (var (i, j, _) in candidates)
            {
                if (usedG[i] || usedC[j])
                {
                    continue;
                }
                usedG[i] = usedC[j] = true;
                int gid = g[i].Id, cid = c[j].Id;
                if (last.TryGetValue(gid, out int previous) && previous != cid)
                {
                    changes.Add(new IdChange(frame, gid, previous, cid));
                }
                last[gid] = cid;
            }
        }
        return changes;
    }

    private static int MaxFrame(IReadOnlyList<MotRecord> rows) => rows.Count == 0 ? 0 : rows.Max(r => r.Frame);
}
