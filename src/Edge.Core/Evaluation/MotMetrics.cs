namespace Edge.Evaluation;

/// <summary>All scores of one sequence, or of several combined: CLEAR, Identity and HOTA.</summary>
public sealed record MotMetrics(ClearMetrics Clear, IdentityMetrics Identity, HotaMetrics Hota)
{
    /// <summary>Combines sequences exactly as TrackEval's <c>COMBINED_SEQ</c>: CLEAR and Identity counts are summed;
    /// HOTA sums TP/FN/FP per α and weights AssA and LocA by TP.</summary>
    public static MotMetrics Combine(IEnumerable<MotMetrics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        return new MotMetrics(
            ClearMetrics.Combine(list.Select(p => p.Clear)),
            IdentityMetrics.Combine(list.Select(p => p.Identity)),
            HotaMetrics.Combine(list.Select(p => p.Hota)));
    }
}
