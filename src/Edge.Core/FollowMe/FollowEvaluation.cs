using Edge.Evaluation;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.FollowMe;

/// <summary>One ground-truth person box of a frame for the Follow Me evaluation.</summary>
/// <param name="Id">Ground-truth identity.</param>
/// <param name="Box">Box in pixels.</param>
/// <param name="Visibility">Visible fraction 0..1 (MOT17 gt column 9).</param>
/// <param name="IsTargetCandidate">True for boxes that can be a target and are scored: MOT17 pedestrians (class 1)
/// with consider flag 1. The other boxes given (e.g. pedestrians with flag 0) only count as "another person" for
/// wrong-person frames.</param>
public readonly record struct FollowTruthBox(int Id, BoxF Box, float Visibility, bool IsTargetCandidate);

/// <summary>How one scored frame turned out (docs/follow-me.md).</summary>
public enum FollowOutcome
{
    /// <summary>The reported box overlaps the target's ground truth at IoU &gt;= 0.5.</summary>
    Correct,
    /// <summary>It overlaps another person at IoU &gt;= 0.5, and more than it overlaps the target.</summary>
    WrongPerson,
    /// <summary>No box, or a box on nobody.</summary>
    None,
}

/// <summary>What follows the target in the evaluation.</summary>
public enum FollowPolicy
{
    /// <summary>Edge's <see cref="TargetLock"/> (re-acquisition, coasting on prediction).</summary>
    Lock,
    /// <summary>The baseline: keep the track id chosen at the lock frame, report that track's box while it is
    /// matched, nothing otherwise (no re-acquisition, no predicted boxes).</summary>
    FixedTrackId,

    /// <summary>An upper bound, not a follower: every frame, the confirmed matched track that overlaps the target
    /// most (IoU &gt;= 0.5); when none does, the prediction of the last such track while the tracker keeps it (unless
    /// <see cref="FollowOptions.Coasting"/> is off). Perfect identity decisions on the same tracks, so the gap between
    /// it and <see cref="Lock"/> is what the lock's choices cost.</summary>
    IdentityOracle,
}

/// <summary>A sequence prepared for the evaluation: ground truth and tracker output per frame (index 0 = frame 1), and
/// optionally one appearance row per track of every frame (<see cref="FollowFrameInput.Appearance"/>, with
/// <see cref="FollowFrameInput.FreshAppearance"/> when a re-id budget repeated some) and the camera motion of every
/// frame (recorded video; MOT data has none).</summary>
public sealed record FollowSequence(string Name, float FrameRate, int ImageWidth, int ImageHeight, FollowTruthBox[][] Truth, TrackView[][] Tracks,
    float[][]? Appearance = null, int AppearanceDimension = 0, Affine2D[]? CameraMotion = null, bool[][]? FreshAppearance = null);

/// <summary>Counts of one evaluation; sequences combine by summing counts (rates are recomputed).</summary>
public readonly record struct FollowEvalCounts(
    int Targets,
    int LockedTargets,
    int ScoredFrames,
    int Correct,
    int Wrong,
    int None,
    int Reacquisitions,
    int CorrectReacquisitions,
    int WrongReacquisitions,
    long ReacquisitionLatencyFrames,
    int LostEvents,
    int CorrectWhileSearching,
    int WrongWhileSearching,
    int OccludedLocks,
    int OccludedLockScored,
    int OccludedLockCorrect,
    int OccludedLockWrong)
{
    public double CorrectRate => Rate(Correct);
    public double WrongRate => Rate(Wrong);
    public double NoneRate => Rate(None);

    /// <summary>Mean frames spent searching before a re-acquisition.</summary>
    public double MeanReacquisitionLatencyFrames => Reacquisitions == 0 ? 0d : (double)ReacquisitionLatencyFrames / Reacquisitions;

    private double Rate(int n) => ScoredFrames == 0 ? 0d : (double)n / ScoredFrames;

    /// <summary>Counts summed over targets or sequences (rates then weigh every frame equally).</summary>
    public static FollowEvalCounts Sum(IEnumerable<FollowEvalCounts> counts) => counts.Aggregate(default(FollowEvalCounts), (sum, c) => sum + c);

    public static FollowEvalCounts operator +(FollowEvalCounts a, FollowEvalCounts b) => new(
        a.Targets + b.Targets,
        a.LockedTargets + b.LockedTargets,
        a.ScoredFrames + b.ScoredFrames,
        a.Correct + b.Correct,
        a.Wrong + b.Wrong,
        a.None + b.None,
        a.Reacquisitions + b.Reacquisitions,
        a.CorrectReacquisitions + b.CorrectReacquisitions,
        a.WrongReacquisitions + b.WrongReacquisitions,
        a.ReacquisitionLatencyFrames + b.ReacquisitionLatencyFrames,
        a.LostEvents + b.LostEvents,
        a.CorrectWhileSearching + b.CorrectWhileSearching,
        a.WrongWhileSearching + b.WrongWhileSearching,
        a.OccludedLocks + b.OccludedLocks,
        a.OccludedLockScored + b.OccludedLockScored,
        a.OccludedLockCorrect + b.OccludedLockCorrect,
        a.OccludedLockWrong + b.OccludedLockWrong);
}

/// <summary>One target's result: where the rules locked it (-1: never; frames are 0-based indices) and how visible it
/// was there, and its counts. Targets locked while mostly hidden are where wrong-person frames concentrate.</summary>
public sealed record FollowTargetResult(int TargetId, int LockFrame, float LockVisibility, FollowEvalCounts Counts);

/// <summary>The Follow Me evaluation of docs/follow-me.md on MOTChallenge ground truth: every target-candidate
/// person present in at least <see cref="MinTargetFrames"/> frames is a target; the lock selects it by point at
/// its box centre in the first frame where a confirmed, matched track overlaps it at IoU &gt;= 0.5; every later
/// frame where its visibility is &gt;= 0.5 is scored correct, wrong person or none.</summary>
public static class FollowEvaluation
{
    public const int MinTargetFrames = 100;
    public const float MinScoredVisibility = 0.5f;
    public const float MatchIoU = 0.5f;

    /// <summary>MOT17 ground truth as Follow Me sees it, one array per frame (index 0 = frame 1) for
    /// <paramref name="length"/> frames: the people are the pedestrians (class 1, any flag; with them the baseline
    /// reproduces the published 0.585 / 0.067 / 0.348 exactly, docs/follow-me.md); considered pedestrians (flag 1) can
    /// be targets. 2D MOT 2015 ground truth has no class or visibility columns (both -1): every box is a pedestrian,
    /// and with no occlusion labels every one counts as visible, so every frame after the lock is scored.</summary>
    public static FollowTruthBox[][] ReadTruth(string path, int length)
    {
        var frames = new List<FollowTruthBox>[length];
        for (int f = 0; f < length; f++)
        {
            frames[f] = [];
        }
        foreach (MotRecord row in MotChallengeReader.ReadFile(path).Rows)
        {
            if (row.Frame <= length && row.ClassId is 1 or -1)
            {
                float visibility = row.Visibility < 0 ? 1f : (float)row.Visibility;
                frames[row.Frame - 1].Add(new FollowTruthBox(row.Id, row.Box, visibility, row.IsConsidered));
            }
        }
        return [.. frames.Select(l => l.ToArray())];
    }

    /// <summary>Scores one frame: <paramref name="hasBox"/> false means the follower reported nothing.</summary>
    public static FollowOutcome Classify(ReadOnlySpan<FollowTruthBox> frame, int targetId, in BoxF box, bool hasBox)
    {
        if (!hasBox)
        {
            return FollowOutcome.None;
        }
        float targetIoU = 0f, otherIoU = 0f;
        foreach (FollowTruthBox truth in frame)
        {
            float iou = truth.Box.IoU(box);
            if (truth.Id == targetId)
            {
                targetIoU = iou;
            }
            else
            {
                otherIoU = MathF.Max(otherIoU, iou);
            }
        }
        if (targetIoU >= MatchIoU)
        {
            return FollowOutcome.Correct;
        }
        return otherIoU >= MatchIoU && otherIoU > targetIoU ? FollowOutcome.WrongPerson : FollowOutcome.None;
    }

    /// <summary>Evaluates every target of a sequence (the sum of <see cref="EvaluateTargets"/>).</summary>
    public static FollowEvalCounts Evaluate(FollowSequence sequence, FollowPolicy policy, FollowOptions options, CancellationToken cancellationToken = default) =>
        FollowEvalCounts.Sum(EvaluateTargets(sequence, policy, options, cancellationToken).Select(t => t.Counts));

    /// <summary>Evaluates every target of a sequence, one result per target in id order.</summary>
    public static IReadOnlyList<FollowTargetResult> EvaluateTargets(FollowSequence sequence, FollowPolicy policy, FollowOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(options);
        int length = sequence.Tracks.Length;
        if (sequence.Truth.Length != length || (sequence.Appearance?.Length ?? length) != length
            || (sequence.FreshAppearance?.Length ?? length) != length || (sequence.CameraMotion?.Length ?? length) != length)
        {
            throw new EdgeException($"{sequence.Name}: {sequence.Truth.Length} ground-truth frames, {length} tracker frames, {sequence.Appearance?.Length ?? 0} appearance frames, {sequence.FreshAppearance?.Length ?? 0} freshness frames and {sequence.CameraMotion?.Length ?? 0} camera-motion frames.");
        }
        var frameCounts = new Dictionary<int, (int Frames, int First, int Last)>();
        for (int f = 0; f < sequence.Truth.Length; f++)
        {
            foreach (FollowTruthBox truth in sequence.Truth[f])
            {
                if (!truth.IsTargetCandidate)
                {
                    continue;
                }
                frameCounts[truth.Id] = frameCounts.TryGetValue(truth.Id, out var c) ? (c.Frames + 1, c.First, f) : (1, f, f);
            }
        }
        var results = new List<FollowTargetResult>();
        var followOptions = options with { FrameRate = sequence.FrameRate };
        foreach (var (id, (frames, first, last)) in frameCounts.OrderBy(kv => kv.Key))
        {
            if (frames < MinTargetFrames)
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(EvaluateTarget(sequence, id, first, last, policy, followOptions));
        }
        return results;
    }

    private static FollowTargetResult EvaluateTarget(FollowSequence sequence, int targetId, int first, int last, FollowPolicy policy, FollowOptions options)
    {
        int lockFrame = -1;
        BoxF lockBox = default;
        float lockVisibility = 0f;
        // The lock frame is the first where a confirmed matched track covers the target; that track seeds the oracle.
        int oracleId = -1;
        for (int f = first; f <= last && lockFrame < 0; f++)
        {
            if (TryFind(sequence.Truth[f], targetId, out FollowTruthBox truth)
                && OracleBox(sequence.Tracks[f], truth.Box, ref oracleId, coasting: false).HasBox)
            {
                (lockFrame, lockBox, lockVisibility) = (f, truth.Box, truth.Visibility);
            }
        }
        if (lockFrame < 0)
        {
            return new FollowTargetResult(targetId, -1, 0f, new FollowEvalCounts(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }

        var targetLock = new TargetLock(options, sequence.ImageWidth, sequence.ImageHeight);
        targetLock.Select(TargetSelection.AtPoint(lockBox.CenterX, lockBox.CenterY));
        FollowCommand command = targetLock.Update(sequence.Tracks[lockFrame], Input(sequence, lockFrame));
        int fixedId = command.TrackId;

        int scored = 0, correct = 0, wrong = 0, none = 0, reacquisitions = 0, correctReacq = 0, wrongReacq = 0, lost = 0, correctSearching = 0, wrongSearching = 0;
        bool coasting = false;
        long latency = 0;
        int searching = 0;
        FollowState previous = command.State;
        for (int f = lockFrame + 1; f <= last; f++)
        {
            ReadOnlySpan<TrackView> tracks = sequence.Tracks[f];
            bool present = TryFind(sequence.Truth[f], targetId, out FollowTruthBox truth);
            BoxF box;
            bool hasBox;
            if (policy == FollowPolicy.IdentityOracle)
            {
                (box, hasBox) = present ? OracleBox(tracks, truth.Box, ref oracleId, options.Coasting) : (default, false);
            }
            else if (policy == FollowPolicy.FixedTrackId)
            {
                (box, hasBox) = (default, false);
                foreach (TrackView track in tracks)
                {
                    if (track.Id == fixedId && track.IsMatched)
                    {
                        (box, hasBox) = (track.Box, true);
                        break;
                    }
                }
            }
            else
            {
                command = targetLock.Update(tracks, Input(sequence, f));
                (box, hasBox) = (command.Box, command.HasBox);
                if (command.State == FollowState.Searching)
                {
                    searching++;
                }
                else if (command.State == FollowState.Locked && previous == FollowState.Searching)
                {
                    reacquisitions++;
                    latency += searching + 1;
                    FollowOutcome outcome = Classify(sequence.Truth[f], targetId, box, true);
                    correctReacq += outcome == FollowOutcome.Correct ? 1 : 0;
                    wrongReacq += outcome == FollowOutcome.WrongPerson || !present ? 1 : 0;
                    searching = 0;
                }
                else
                {
                    searching = 0;
                }
                lost += command.State == FollowState.Lost ? 1 : 0;
                coasting = command.State == FollowState.Searching;
                previous = command.State;
            }

            if (present && truth.Visibility >= MinScoredVisibility)
            {
                scored++;
                switch (Classify(sequence.Truth[f], targetId, box, hasBox))
                {
                    case FollowOutcome.Correct: correct++; correctSearching += coasting ? 1 : 0; break;
                    case FollowOutcome.WrongPerson: wrong++; wrongSearching += coasting ? 1 : 0; break;
                    default: none++; break;
                }
            }
        }
        // Diagnostic: a target locked while mostly hidden was selected by a point that usually lies on the person
        // in front of it, so the lock follows that person from the start (any follower would).
        bool occludedLock = lockVisibility < MinScoredVisibility;
        return new FollowTargetResult(targetId, lockFrame, lockVisibility, new FollowEvalCounts(1, 1, scored, correct, wrong, none, reacquisitions, correctReacq, wrongReacq, latency, lost, correctSearching, wrongSearching,
            occludedLock ? 1 : 0, occludedLock ? scored : 0, occludedLock ? correct : 0, occludedLock ? wrong : 0));
    }

    /// <summary>The confirmed matched track that overlaps <paramref name="target"/> most at IoU &gt;= <see cref="MatchIoU"/>
    /// (remembered in <paramref name="oracleId"/>); without one, with <paramref name="coasting"/>, the box of the last
    /// such track while the tracker still reports it.</summary>
    private static (BoxF Box, bool HasBox) OracleBox(ReadOnlySpan<TrackView> tracks, BoxF target, ref int oracleId, bool coasting)
    {
        float best = 0f;
        BoxF box = default;
        foreach (TrackView track in tracks)
        {
            float iou = track.Box.IoU(target);
            if (track.State == TrackState.Confirmed && track.IsMatched && iou >= MatchIoU && iou > best)
            {
                (best, box, oracleId) = (iou, track.Box, track.Id);
            }
        }
        if (best > 0f || !coasting)
        {
            return (box, best > 0f);
        }
        foreach (TrackView track in tracks)
        {
            if (track.Id == oracleId)
            {
                return (track.Box, true);
            }
        }
        return (default, false);
    }

    private static FollowFrameInput Input(FollowSequence sequence, int frame)
    {
        Affine2D motion = sequence.CameraMotion?[frame] ?? Affine2D.Identity;
        return sequence.Appearance is { } rows
            ? new FollowFrameInput(motion, rows[frame], sequence.AppearanceDimension, sequence.FreshAppearance is { } fresh ? fresh[frame] : [])
            : new FollowFrameInput(motion, [], 0);
    }

    private static bool TryFind(ReadOnlySpan<FollowTruthBox> frame, int id, out FollowTruthBox truth)
    {
        foreach (FollowTruthBox t in frame)
        {
            if (t.Id == id)
            {
                truth = t;
                return true;
            }
        }
        truth = default;
        return false;
    }
}
