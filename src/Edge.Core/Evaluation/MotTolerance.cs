namespace Edge.Evaluation;

/// <summary>The comparison slack TrackEval applies everywhere: <c>np.finfo('float').eps</c> (2.2e-16), so thresholds
/// like IoU ≥ 0.5 and "matched when score &gt; 0" behave identically here.</summary>
internal static class MotTolerance
{
    public const double Epsilon = 2.220446049250313e-16;
}
