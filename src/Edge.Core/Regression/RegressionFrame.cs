using Edge.Geometry;

namespace Edge.Regression;

/// <summary>One detection or track box of a recorded frame: class, score, box in source pixels, and the track id
/// (0 for a detection).</summary>
public readonly record struct RegressionBox(int ClassId, double Score, BoxF Box, int TrackId = 0);

/// <summary>The Follow Me output of one frame as the JSON lines carry it.</summary>
/// <param name="State">idle, locked, searching or lost.</param>
/// <param name="TrackId">Track carrying the target, -1 when none.</param>
/// <param name="Values">offsetX, offsetY, height, vx, vy, confidence, steer horizontal, steer vertical.</param>
public sealed record RegressionFollow(string State, int TrackId, double[] Values)
{
    public static readonly string[] ValueNames = ["offsetX", "offsetY", "height", "vx", "vy", "confidence", "steerH", "steerV"];
}

/// <summary>Everything the regression compares for one frame: the detections and the follow output.</summary>
public sealed record RegressionFrame(long Frame, double Seconds, IReadOnlyList<RegressionBox> Detections, RegressionFollow? Follow)
{
    /// <summary>Every frame number of either recording in order, with that frame of each (null where one lacks it).</summary>
    public static IEnumerable<(long Frame, RegressionFrame? Golden, RegressionFrame? Current)> Align(
        IReadOnlyList<RegressionFrame> golden, IReadOnlyList<RegressionFrame> current)
    {
        var goldenByFrame = golden.ToDictionary(f => f.Frame);
        var currentByFrame = current.ToDictionary(f => f.Frame);
        foreach (long frame in goldenByFrame.Keys.Union(currentByFrame.Keys).Order())
        {
            yield return (frame, goldenByFrame.GetValueOrDefault(frame), currentByFrame.GetValueOrDefault(frame));
        }
    }
}
