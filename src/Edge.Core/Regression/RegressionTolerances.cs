namespace Edge.Regression;

/// <summary>How far a replay may drift from its golden outputs before the regression fails. The defaults expect a
/// replay on the machine that made the goldens to be identical (docs/regression.md): counts are zero, and the value
/// tolerances only absorb float noise between machines or ONNX Runtime thread counts.</summary>
public sealed record RegressionTolerances
{
    /// <summary>A current box matches a golden box of the same class when their IoU is at least this.</summary>
    public double MatchIou { get; init; } = 0.9;

    /// <summary>Largest score difference of a matched box that still counts as unchanged.</summary>
    public double Score { get; init; } = 0.02;

    /// <summary>Frames whose detections may differ (a box added, lost or re-scored) before the run fails.</summary>
    public int MaxChangedDetectionFrames { get; init; }

    /// <summary>Identity switches allowed when the goldens' tracks are scored as ground truth.</summary>
    public int MaxIdSwitches { get; init; }

    /// <summary>Lowest IDF1 of the current tracks against the golden tracks.</summary>
    public double MinIdf1 { get; init; } = 1.0;

    /// <summary>Frames whose Follow Me state may differ from the golden.</summary>
    public int MaxFollowStateFrames { get; init; }

    /// <summary>Largest difference of a follow value (offsets, height, velocity, confidence, steering) that still
    /// counts as unchanged.</summary>
    public double FollowValue { get; init; } = 0.02;

    /// <summary>Frames whose follow values may differ beyond <see cref="FollowValue"/>.</summary>
    public int MaxFollowValueFrames { get; init; }

    /// <summary>Throws <see cref="EdgeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (!(MatchIou is > 0 and <= 1))
        {
            throw new EdgeException($"tolerances.matchIou must be in (0, 1]; got {MatchIou}");
        }
        if (!(Score >= 0) || !(FollowValue >= 0))
        {
            throw new EdgeException("tolerances.score and tolerances.followValue must not be negative");
        }
        if (!(MinIdf1 is >= 0 and <= 1))
        {
            throw new EdgeException($"tolerances.minIdf1 must be in [0, 1]; got {MinIdf1}");
        }
        if (MaxChangedDetectionFrames < 0 || MaxIdSwitches < 0 || MaxFollowStateFrames < 0 || MaxFollowValueFrames < 0)
        {
            throw new EdgeException("tolerance counts (maxChangedDetectionFrames, maxIdSwitches, maxFollowStateFrames, maxFollowValueFrames) must not be negative");
        }
    }
}
