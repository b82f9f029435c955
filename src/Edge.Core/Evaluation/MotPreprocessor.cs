using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Edge.Assignment;

namespace Edge.Evaluation;

/// <summary>TrackEval's MOTChallenge preprocessing (<c>MotChallenge2DBox.get_preprocessed_seq_data</c>). MOT17/MOT20:
/// per frame, tracker boxes are matched to all gt boxes by Hungarian on IoU ≥ 0.5 and those matched to a distractor
/// class are removed, so a tracker is not punished for following a static person or a reflection; then only flagged
/// pedestrians stay in the gt. MOT15: only flag-0 gt is dropped.</summary>
internal static class MotPreprocessor
{
    private const int PedestrianClass = 1;
    private const int MaxValidClass = 12;
    private const double MatchThreshold = 0.5;

    // person_on_vehicle, static_person, distractor, reflection (+ non_mot_vehicle for MOT20).
    private static readonly int[] Mot17Distractors = [2, 7, 8, 12];
    private static readonly int[] Mot20Distractors = [2, 6, 7, 8, 12];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    public static PreparedSequence Prepare(
        IReadOnlyList<MotRecord> groundTruth, IReadOnlyList<MotRecord> tracker, MotBenchmark benchmark, int frameCount, string sequence)
    {
        if (frameCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "Frame count must not be negative.");
        }
        var gtByFrame = GroupByFrame(groundTruth, frameCount, sequence, "Ground-truth");
        var trByFrame = GroupByFrame(tracker, frameCount, sequence, "Tracker");
        int[] distractors = benchmark == MotBenchmark.Mot20 ? Mot20Distractors : Mot17Distractors;
        bool classRules = benchmark != MotBenchmark.Mot15;

        var solver = new LinearAssignment();
        var frames = new PreparedFrame[frameCount];
        var gtIdSet = new HashSet<int>();
        var trackerIdSet = new HashSet<int>();
        double[] matching = [];
        int[] rowToCol = [];
        var rawGtIds = new int[frameCount][];
        var rawTrackerIds = new int[frameCount][];

        for (int t = 0; t < frameCount; t++)
        {
            var gts = CollectionsMarshal.AsSpan(gtByFrame[t]);
            var trs = CollectionsMarshal.AsSpan(trByFrame[t]);
            int n = gts.Length;
            int m = trs.Length;
            var similarity = new double[n * m];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    similarity[i * m + j] = MotBoxIou.Iou(in gts[i], in trs[j]);
                }
            }

            var removeTracker = new bool[m];
            if (classRules && n > 0 && m > 0)
            {
                foreach (var g in gts)
                {
                    if (g.ClassId < 1 || g.ClassId > MaxValidClass)
                    {
                        throw new EdgeException(
                            $"{sequence}: ground truth has invalid class {g.ClassId} at frame {t + 1} (MOT17/MOT20 classes are 1..12); score 2D MOT 2015 files with the MOT15 rules.");
                    }
                }
                ScratchArray.EnsureLength(ref matching, n * m);
                for (int k = 0; k < n * m; k++)
                {
                    matching[k] = similarity[k] < MatchThreshold - MotTolerance.Epsilon ? 0 : similarity[k];
                }
                ScratchArray.EnsureLength(ref rowToCol, n);
                solver.SolveMaxWeight(matching.AsSpan(0, n * m), n, m, rowToCol);
                for (int i = 0; i < n; i++)
                {
                    int j = rowToCol[i];
                    if (j >= 0 && matching[i * m + j] > MotTolerance.Epsilon && Array.IndexOf(distractors, gts[i].ClassId) >= 0)
                    {
                        removeTracker[j] = true;
                    }
                }
            }

            var keptGtRows = new List<int>(n);
            var keptTrackerCols = new List<int>(m);
            for (int i = 0; i < n; i++)
            {
                if (gts[i].IsConsidered && (!classRules || gts[i].ClassId == PedestrianClass))
                {
                    keptGtRows.Add(i);
                    gtIdSet.Add(gts[i].Id);
                }
            }
            for (int j = 0; j < m; j++)
            {
                if (!removeTracker[j])
                {
                    keptTrackerCols.Add(j);
                    trackerIdSet.Add(trs[j].Id);
                }
            }

            int kn = keptGtRows.Count;
            int km = keptTrackerCols.Count;
            var kept = new double[kn * km];
            var gtIds = new int[kn];
            var trIds = new int[km];
            for (int a = 0; a < kn; a++)
            {
                gtIds[a] = gts[keptGtRows[a]].Id;
                for (int b = 0; b < km; b++)
                {
                    kept[a * km + b] = similarity[keptGtRows[a] * m + keptTrackerCols[b]];
                }
            }
            for (int b = 0; b < km; b++)
            {
                trIds[b] = trs[keptTrackerCols[b]].Id;
            }
            rawGtIds[t] = gtIds;
            rawTrackerIds[t] = trIds;
            frames[t] = new PreparedFrame(gtIds, trIds, kept);
        }

        // Relabel ids to 0..N-1 in ascending order, as np.unique does.
        Relabel(rawGtIds, gtIdSet);
        Relabel(rawTrackerIds, trackerIdSet);
        return new PreparedSequence(frames, gtIdSet.Count, trackerIdSet.Count);
    }

    private static void Relabel(int[][] idsPerFrame, HashSet<int> unique)
    {
        var sorted = unique.ToArray();
        Array.Sort(sorted);
        var map = new Dictionary<int, int>(sorted.Length);
        foreach (int id in sorted)
        {
            map[id] = map.Count;
        }
        foreach (var ids in idsPerFrame)
        {
            for (int k = 0; k < ids.Length; k++)
            {
                ids[k] = map[ids[k]];
            }
        }
    }

    private static List<MotRecord>[] GroupByFrame(IReadOnlyList<MotRecord> rows, int frameCount, string sequence, string what)
    {
        var byFrame = new List<MotRecord>[frameCount];
        for (int t = 0; t < frameCount; t++)
        {
            byFrame[t] = [];
        }
        foreach (var row in rows)
        {
            if (row.Frame < 1 || row.Frame > frameCount)
            {
                // TrackEval refuses time steps outside the sequence rather than silently dropping them.
                throw new EdgeException($"{sequence}: {what} data has frame {row.Frame} outside 1..{frameCount} (sequence length).");
            }
            byFrame[row.Frame - 1].Add(row);
        }
        var seen = new HashSet<int>();
        for (int t = 0; t < frameCount; t++)
        {
            seen.Clear();
            foreach (var row in byFrame[t])
            {
                if (!seen.Add(row.Id))
                {
                    throw new EdgeException($"{sequence}: {what} data has id {row.Id} more than once in frame {t + 1}.");
                }
            }
        }
        return byFrame;
    }
}
