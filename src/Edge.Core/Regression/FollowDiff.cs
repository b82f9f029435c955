namespace Edge.Regression;

/// <summary>A frame whose follow state differs from the golden.</summary>
public sealed record FollowStateChange(long Frame, string GoldenState, string CurrentState);

/// <summary>A frame whose follow values differ beyond the tolerance; <paramref name="Value"/> names the value that
/// differs most.</summary>
public sealed record FollowValueChange(long Frame, string Value, double Golden, double Current);

/// <summary>Follow Me output of a replay against the golden.</summary>
/// <param name="StateFrames">Frames whose state differs (missing follow output counts as state "none").</param>
/// <param name="ValueFrames">Frames with the same state whose values differ beyond the tolerance.</param>
/// <param name="GoldenSegments">The golden state sequence as runs, e.g. "idle 0-0, locked 1-250, searching 251-260".</param>
/// <param name="CurrentSegments">The current state sequence as runs.</param>
/// <param name="MaxValueDelta">Largest value difference over frames with the same state.</param>
public sealed record FollowDiffResult(
    IReadOnlyList<FollowStateChange> StateFrames,
    IReadOnlyList<FollowValueChange> ValueFrames,
    IReadOnlyList<FollowSegment> GoldenSegments,
    IReadOnlyList<FollowSegment> CurrentSegments,
    double MaxValueDelta);

/// <summary>A run of frames in one follow state.</summary>
public readonly record struct FollowSegment(string State, long First, long Last)
{
    public override string ToString() => First == Last ? $"{State} {First}" : $"{State} {First}-{Last}";
}

/// <summary>Compares the follow state sequence frame by frame and the command values (offsets, height, velocity,
/// confidence, steering) within <see cref="RegressionTolerances.FollowValue"/> where the states agree.</summary>
public static class FollowDiff
{
    public static FollowDiffResult Compare(IReadOnlyList<RegressionFrame> golden, IReadOnlyList<RegressionFrame> current, RegressionTolerances tolerances)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(tolerances);
        var states = new List<FollowStateChange>();
        var values = new List<FollowValueChange>();
        double maxDelta = 0;
        foreach (var (frame, gf, cf) in RegressionFrame.Align(golden, current))
        {
            RegressionFollow? g = gf?.Follow;
            RegressionFollow? c = cf?.Follow;
            string gs = g?.State ?? "none", cs = c?.State ?? "none";
            if (gs != cs)
            {
                states.Add(new FollowStateChange(frame, gs, cs));
                continue;
            }
            if (g is null || c is null)
            {
                continue;
            }
            int worst = -1;
            double worstDelta = 0;
            for (int i = 0; i < Math.Min(g.Values.Length, c.Values.Length); i++)
            {
                double delta = Math.Abs(g.Values[i] - c.Values[i]);
                if (delta > worstDelta)
                {
                    worstDelta = delta;
                    worst = i;
                }
            }
            maxDelta = Math.Max(maxDelta, worstDelta);
            if (worst >= 0 && worstDelta > tolerances.FollowValue)
            {
                values.Add(new FollowValueChange(frame, RegressionFollow.ValueNames[worst], g.Values[worst], c.Values[worst]));
            }
        }
        return new FollowDiffResult(states, values, Segments(golden), Segments(current), maxDelta);
    }

    /// <summary>The state sequence as runs of equal state, in frame order.</summary>
    public static IReadOnlyList<FollowSegment> Segments(IReadOnlyList<RegressionFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var segments = new List<FollowSegment>();
        foreach (var f in frames.OrderBy(f => f.Frame))
        {
            string state = f.Follow?.State ?? "none";
            if (segments.Count > 0 && segments[^1].State == state && segments[^1].Last == f.Frame - 1)
            {
                segments[^1] = segments[^1] with { Last = f.Frame };
            }
            else
            {
                segments.Add(new FollowSegment(state, f.Frame, f.Frame));
            }
        }
        return segments;
    }
}
