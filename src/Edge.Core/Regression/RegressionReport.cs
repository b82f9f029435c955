using System.Globalization;
using System.Text;
using Edge.Evaluation;

namespace Edge.Regression;

/// <summary>The outcome of one replay against its goldens: the three diffs, the statistics, and the tolerances that
/// were exceeded (empty when the run passes).</summary>
public sealed record RegressionReport(
    DetectionDiffResult Detections,
    TrackDiffResult Tracks,
    FollowDiffResult Follow,
    RegressionStatistics Golden,
    RegressionStatistics Current,
    RegressionTolerances Tolerances,
    IReadOnlyList<string> Failures)
{
    private const int ListedItems = 10;

    public bool Passed => Failures.Count == 0;

    /// <summary>Compares a replay's frames and tracks with the goldens and checks every tolerance.</summary>
    public static RegressionReport Create(
        IReadOnlyList<RegressionFrame> goldenFrames,
        IReadOnlyList<MotRecord> goldenTracks,
        IReadOnlyList<RegressionFrame> currentFrames,
        IReadOnlyList<MotRecord> currentTracks,
        RegressionTolerances tolerances)
    {
        ArgumentNullException.ThrowIfNull(tolerances);
        var detections = DetectionDiff.Compare(goldenFrames, currentFrames, tolerances);
        var tracks = TrackDiff.Compare(goldenTracks, currentTracks, Math.Max(goldenFrames.Count, currentFrames.Count));
        var follow = FollowDiff.Compare(goldenFrames, currentFrames, tolerances);
        var golden = RegressionStatistics.From(goldenFrames, goldenTracks);
        var current = RegressionStatistics.From(currentFrames, currentTracks);
        var failures = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (golden.Frames != current.Frames)
        {
            failures.Add(string.Create(c, $"frames: {current.Frames} processed, golden has {golden.Frames}"));
        }
        if (detections.ChangedFrames.Count > tolerances.MaxChangedDetectionFrames)
        {
            failures.Add(string.Create(c, $"detections: {detections.ChangedFrames.Count} frames changed (allowed {tolerances.MaxChangedDetectionFrames})"));
        }
        if (tracks.Metrics.Clear.IdSwitches > tolerances.MaxIdSwitches)
        {
            failures.Add(string.Create(c, $"tracks: IDSW {tracks.Metrics.Clear.IdSwitches} (allowed {tolerances.MaxIdSwitches})"));
        }
        // No tracks on either side is a perfect match, though IDF1's formula gives 0 for it.
        if (tracks.GoldenRows + tracks.CurrentRows > 0 && tracks.Metrics.Identity.Idf1 < tolerances.MinIdf1 - 1e-12)
        {
            failures.Add(string.Create(c, $"tracks: IDF1 {tracks.Metrics.Identity.Idf1:P2} (minimum {tolerances.MinIdf1:P2})"));
        }
        if (follow.StateFrames.Count > tolerances.MaxFollowStateFrames)
        {
            failures.Add(string.Create(c, $"follow: state differs in {follow.StateFrames.Count} frames (allowed {tolerances.MaxFollowStateFrames})"));
        }
        if (follow.ValueFrames.Count > tolerances.MaxFollowValueFrames)
        {
            failures.Add(string.Create(c, $"follow: command values differ by more than {tolerances.FollowValue} in {follow.ValueFrames.Count} frames (allowed {tolerances.MaxFollowValueFrames})"));
        }
        return new RegressionReport(detections, tracks, follow, golden, current, tolerances, failures);
    }

    /// <summary>A readable diff summary: frames changed, boxes added and lost, identity changes with frame numbers,
    /// follow state changes, then PASS or FAIL with the exceeded tolerances.</summary>
    public string FormatSummary()
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        var d = Detections;
        s.AppendLine(c, $"frames      golden {Golden.Frames}, current {Current.Frames}");
        s.AppendLine(c, $"detections  {d.ChangedFrames.Count} frames changed; boxes golden {d.GoldenBoxes}, current {d.CurrentBoxes}: {d.Matched} matched (mean IoU {d.MeanMatchedIou:0.0000}, max score delta {d.MaxScoreDelta:0.0000}), {d.Added} added, {d.Lost} lost, {d.Rescored} re-scored beyond {Tolerances.Score}");
        foreach (var f in d.ChangedFrames.Take(ListedItems))
        {
            s.Append(c, $"  frame {f.Frame}:");
            foreach (var b in f.Added)
            {
                s.Append(c, $" +[{b.Box.X1:0},{b.Box.Y1:0},{b.Box.X2:0},{b.Box.Y2:0}] {b.Score:0.00}");
            }
            foreach (var b in f.Lost)
            {
                s.Append(c, $" -[{b.Box.X1:0},{b.Box.Y1:0},{b.Box.X2:0},{b.Box.Y2:0}] {b.Score:0.00}");
            }
            if (f.Rescored > 0)
            {
                s.Append(c, $" {f.Rescored} re-scored (max delta {f.MaxScoreDelta:0.000})");
            }
            s.AppendLine();
        }
        More(s, d.ChangedFrames.Count, "changed frames");

        var t = Tracks;
        var clear = t.Metrics.Clear;
        s.AppendLine(c, $"tracks      rows golden {t.GoldenRows}, current {t.CurrentRows}; ids golden {t.GoldenIds}, current {t.CurrentIds}; against golden: IDSW {clear.IdSwitches}, IDF1 {t.Metrics.Identity.Idf1:P2}, MOTA {clear.Mota:P2}, FP {clear.FalsePositives}, FN {clear.FalseNegatives}, HOTA {t.Metrics.Hota.Hota:P2}");
        foreach (var change in t.IdChanges.Take(ListedItems))
        {
            s.AppendLine(c, $"  frame {change.Frame}: golden id {change.GoldenId} was current id {change.PreviousId}, now {change.CurrentId}");
        }
        More(s, t.IdChanges.Count, "id changes");

        var fo = Follow;
        s.AppendLine(c, $"follow      {fo.StateFrames.Count} frames with a different state, {fo.ValueFrames.Count} with values beyond {Tolerances.FollowValue} (max delta {fo.MaxValueDelta:0.0000})");
        if (fo.StateFrames.Count > 0)
        {
            s.AppendLine(c, $"  golden  {string.Join(", ", fo.GoldenSegments.Take(ListedItems))}{(fo.GoldenSegments.Count > ListedItems ? ", ..." : "")}");
            s.AppendLine(c, $"  current {string.Join(", ", fo.CurrentSegments.Take(ListedItems))}{(fo.CurrentSegments.Count > ListedItems ? ", ..." : "")}");
            foreach (var run in StateRuns(fo.StateFrames).Take(ListedItems))
            {
                s.AppendLine(c, $"  frames {run}");
            }
        }
        foreach (var v in fo.ValueFrames.Take(ListedItems))
        {
            s.AppendLine(c, $"  frame {v.Frame}: {v.Value} golden {v.Golden:0.0000}, current {v.Current:0.0000}");
        }
        More(s, fo.ValueFrames.Count, "value changes");
        s.AppendLine(Passed ? "PASS: within every tolerance" : "FAIL: " + string.Join("; ", Failures));
        return s.ToString();
    }

    /// <summary>Consecutive frames with the same golden → current state pair, as "12-40: locked -> searching".</summary>
    private static IEnumerable<string> StateRuns(IReadOnlyList<FollowStateChange> changes)
    {
        int i = 0;
        while (i < changes.Count)
        {
            int j = i;
            while (j + 1 < changes.Count && changes[j + 1].Frame == changes[j].Frame + 1
                && changes[j + 1].GoldenState == changes[i].GoldenState && changes[j + 1].CurrentState == changes[i].CurrentState)
            {
                j++;
            }
            string range = i == j ? $"{changes[i].Frame}" : $"{changes[i].Frame}-{changes[j].Frame}";
            yield return $"{range}: golden {changes[i].GoldenState}, current {changes[i].CurrentState}";
            i = j + 1;
        }
    }

    private static void More(StringBuilder s, int count, string what)
    {
        if (count > ListedItems)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  ... {count - ListedItems} more {what}");
        }
    }
}
