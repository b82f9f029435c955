using Edge.Assignment;

namespace Edge.Evaluation;

/// <summary>Scores a tracker against MOTChallenge ground truth with TrackEval's rules (JonathonLuiten/TrackEval):
/// benchmark preprocessing, then CLEAR, Identity and HOTA. Pure: rows in, numbers out.</summary>
public static class MotEvaluator
{
    /// <summary>Evaluates one sequence over frames 1..<paramref name="frameCount"/> (the seqinfo.ini
    /// <c>seqLength</c>). Rows outside that range or a repeated id within a frame are errors, as in TrackEval.</summary>
    public static MotMetrics EvaluateSequence(
        IReadOnlyList<MotRecord> groundTruth,
        IReadOnlyList<MotRecord> tracker,
        MotBenchmark benchmark,
        int frameCount,
        string sequenceName = "sequence")
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(tracker);
        var data = MotPreprocessor.Prepare(groundTruth, tracker, benchmark, frameCount, sequenceName);
        var solver = new LinearAssignment();
        return new MotMetrics(
            ClearMetrics.Compute(data, solver),
            IdentityMetrics.Compute(data, solver),
            HotaMetrics.Compute(data, solver));
    }

    /// <summary>Picks the preprocessing rules for a ground-truth file: MOT17/MOT20 when it has the 9-column form
    /// with classes (MOT20 when the sequence name starts with "MOT20"), 2D MOT 2015 otherwise.</summary>
    public static MotBenchmark DetectBenchmark(MotFile groundTruth, string sequenceName)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(sequenceName);
        if (!groundTruth.HasClasses)
        {
            return MotBenchmark.Mot15;
        }
        return sequenceName.StartsWith("MOT20", StringComparison.OrdinalIgnoreCase) ? MotBenchmark.Mot20 : MotBenchmark.Mot17;
    }
}
