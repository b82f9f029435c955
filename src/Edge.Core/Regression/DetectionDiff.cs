namespace Edge.Regression;

/// <summary>How one frame's detections differ from the golden.</summary>
/// <param name="Frame">0-based frame index.</param>
/// <param name="Added">Current boxes with no golden box of the same class at IoU ≥ the match threshold.</param>
/// <param name="Lost">Golden boxes with no current match.</param>
/// <param name="Rescored">Matched pairs whose scores differ by more than the tolerance.</param>
/// <param name="MaxScoreDelta">Largest absolute score difference over the matched pairs.</param>
public sealed record FrameDetectionChange(long Frame, IReadOnlyList<RegressionBox> Added, IReadOnlyList<RegressionBox> Lost, int Rescored, double MaxScoreDelta);

/// <summary>Detections of a replay against the golden, frame by frame.</summary>
public sealed record DetectionDiffResult(
    int GoldenFrames,
    int CurrentFrames,
    int GoldenBoxes,
    int CurrentBoxes,
    int Matched,
    int Added,
    int Lost,
    int Rescored,
    double MeanMatchedIou,
    double MaxScoreDelta,
    IReadOnlyList<FrameDetectionChange> ChangedFrames);

/// <summary>Matches each frame's current detections to the golden ones: pairs of the same class are taken greedily in
/// decreasing IoU (the boxes of one frame are few and, at IoU ≥ 0.9, a box overlaps at most one other box that much,
/// so greedy equals optimal) and kept when IoU ≥ <see cref="RegressionTolerances.MatchIou"/>.</summary>
public static class DetectionDiff
{
    public static DetectionDiffResult Compare(IReadOnlyList<RegressionFrame> golden, IReadOnlyList<RegressionFrame> current, RegressionTolerances tolerances)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(tolerances);
        var changes = new List<FrameDetectionChange>();
        int goldenBoxes = 0, currentBoxes = 0, matched = 0, added = 0, lost = 0, rescored = 0;
        double iouSum = 0, maxDelta = 0;
        foreach (var (frame, gf, cf) in RegressionFrame.Align(golden, current))
        {
            IReadOnlyList<RegressionBox> g = gf?.Detections ?? [];
            IReadOnlyList<RegressionBox> c = cf?.Detections ?? [];
            goldenBoxes += g.Count;
            currentBoxes += c.Count;
            var pairs = Match(g, c, tolerances.MatchIou);
            var goldenUsed = new bool[g.Count];
            var currentUsed = new bool[c.Count];
            int frameRescored = 0;
            double frameDelta = 0;
            foreach (var (gi, ci, iou) in pairs)
            {
                goldenUsed[gi] = currentUsed[ci] = true;
                iouSum += iou;
                double delta = Math.Abs(g[gi].Score - c[ci].Score);
                frameDelta = Math.Max(frameDelta, delta);
                if (delta > tolerances.Score)
                {
                    frameRescored++;
                }
            }
            var frameAdded = c.Where((_, i) => !currentUsed[i]).ToList();
            var frameLost = g.Where((_, i) => !goldenUsed[i]).ToList();
            matched += pairs.Count;
            added += frameAdded.Count;
            lost += frameLost.Count;
            rescored += frameRescored;
            maxDelta = Math.Max(maxDelta, frameDelta);
            if (frameAdded.Count > 0 || frameLost.Count > 0 || frameRescored > 0)
            {
                changes.Add(new FrameDetectionChange(frame, frameAdded, frameLost, frameRescored, frameDelta));
            }
        }
        return new DetectionDiffResult(golden.Count, current.Count, goldenBoxes, currentBoxes, matched, added, lost, rescored,
            matched > 0 ? iouSum / matched : 1, maxDelta, changes);
    }

    /// <summary>Greedy one-to-one matching of same-class boxes in decreasing IoU, pairs below <paramref name="minIou"/> dropped.</summary>
    public static List<(int Golden, int Current, double Iou)> Match(IReadOnlyList<RegressionBox> golden, IReadOnlyList<RegressionBox> current, double minIou)
    {
        var candidates = new List<(int Golden, int Current, double Iou)>();
        for (int i = 0; i < golden.Count; i++)
        {
            for (int j = 0; j < current.Count; j++)
            {
                if (golden[i].ClassId != current[j].ClassId)
                {
                    continue;
                }
                double iou = golden[i].Box.IoU(current[j].Box);
                if (iou >= minIou)
                {
                    candidates.Add((i, j, iou));
                }
            }
        }
        // Ties broken by index so the result does not depend on the sort's stability.
        candidates.Sort((a, b) => b.Iou != a.Iou ? b.Iou.CompareTo(a.Iou) : a.Golden != b.Golden ? a.Golden.CompareTo(b.Golden) : a.Current.CompareTo(b.Current));
        var usedGolden = new bool[golden.Count];
        var usedCurrent = new bool[current.Count];
        var pairs = new List<(int, int, double)>();
        foreach (var (g, c, iou) in candidates)
        {
            if (!usedGolden[g] && !usedCurrent[c])
            {
                usedGolden[g] = usedCurrent[c] = true;
                pairs.Add((g, c, iou));
            }
        }
        return pairs;
    }
}
