namespace Edge.Regression;

/// <summary>Run statistics stored beside the goldens (stats.json): what a replay must reproduce exactly (frame count)
/// and what shows drift at a glance (box, track and state counts). Timings are reported but never compared: they
/// depend on the machine's load.</summary>
public sealed record RegressionStatistics
{
    public long Frames { get; init; }

    public long Detections { get; init; }

    public long TrackRows { get; init; }

    public int TrackIds { get; init; }

    /// <summary>Frames per follow state (idle, locked, searching, lost).</summary>
    public SortedDictionary<string, int> FollowStates { get; init; } = [];

    /// <summary>Mean inference latency in ms on the machine that ran it; informational.</summary>
    public double MeanInferenceMs { get; init; }

    /// <summary>Counts from the frames and track rows of a run (timings left to the caller).</summary>
    public static RegressionStatistics From(IReadOnlyList<RegressionFrame> frames, IReadOnlyList<Evaluation.MotRecord> tracks)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(tracks);
        var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in frames)
        {
            if (f.Follow is { } follow)
            {
                states[follow.State] = states.GetValueOrDefault(follow.State) + 1;
            }
        }
        return new RegressionStatistics
        {
            Frames = frames.Count,
            Detections = frames.Sum(f => (long)f.Detections.Count),
            TrackRows = tracks.Count,
            TrackIds = tracks.Select(t => t.Id).Distinct().Count(),
            FollowStates = states,
        };
    }
}
