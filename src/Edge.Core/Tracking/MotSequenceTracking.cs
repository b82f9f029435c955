using Edge.Evaluation;
using Edge.Geometry;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Tracking;

/// <summary>Which reported tracks a results writer keeps. ByteTrack's evaluator (<c>mot_evaluator.py</c>,
/// <c>demo_track.py</c>) writes a box only when w·h &gt; <c>min_box_area</c> and not w/h &gt; 1.6 (pedestrians are
/// upright); SORT writes everything. This is a writer policy, not part of the tracker.</summary>
/// <param name="MinArea">Keep boxes with w·h above this.</param>
/// <param name="MaxAspect">Drop boxes with w/h above this; 0 disables.</param>
public readonly record struct TrackOutputFilter(float MinArea, float MaxAspect)
{
    public static TrackOutputFilter ByteTrack { get; } = new(10f, 1.6f);
    public static TrackOutputFilter None { get; } = new(0f, 0f);

    public bool Keeps(in BoxF box)
    {
        float w = box.Width, h = box.Height;
        return w * h > MinArea && !(MaxAspect > 0 && w / h > MaxAspect);
    }
}

/// <summary>Runs an online tracker over a MOTChallenge detection file (no images) and returns result rows.</summary>
public static class MotSequenceTracking
{
    /// <summary>Feeds frames 1..<paramref name="length"/> (an empty frame where det.txt has none) and keeps the
    /// confirmed tracks matched in each frame, as ByteTrack's and SORT's runners write them.</summary>
    /// <param name="decimals">Rounding of coordinates (ByteTrack writes 0.1 px, SORT 0.01 px); the score is rounded
    /// to 0.01.</param>
    /// <param name="cameraMotion">Warp from frame f − 1 to frame f given to the tracker (camera-motion compensation);
    /// null gives the identity.</param>
    public static List<MotRecord> Run(IMultiObjectTracker tracker, IReadOnlyList<MotRecord> detections, int length,
        TrackOutputFilter filter, int decimals = 1, CancellationToken cancellationToken = default, Func<int, Affine2D>? cameraMotion = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(detections);
        var byFrame = new List<DetectionRecord>[length + 1];
        for (int i = 0; i <= length; i++)
        {
            byFrame[i] = [];
        }
        foreach (var d in detections)
        {
            if (d.Frame >= 1 && d.Frame <= length)
            {
                byFrame[d.Frame].Add(new DetectionRecord(
                    d.Box, (float)d.Confidence, 0));
            }
        }

        var frames = Array.ConvertAll(byFrame, l => l.ToArray());
        var rows = new List<MotRecord>(detections.Count);
        tracker.Reset();
        for (int f = 1; f <= length; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var context = cameraMotion is null || f == 1
                ? TrackerFrameContext.None
                : TrackerFrameContext.None with { CameraMotion = cameraMotion(f) };
            foreach (var t in tracker.Update(frames[f], context))
            {
                if (t.State != TrackState.Confirmed || t.FramesSinceUpdate != 0 || !filter.Keeps(t.Box))
                {
                    continue;
                }
                rows.Add(new MotRecord(f, t.Id,
                    Math.Round(t.Box.X1, decimals), Math.Round(t.Box.Y1, decimals),
                    Math.Round(t.Box.Width, decimals), Math.Round(t.Box.Height, decimals),
                    Math.Round(t.Score, 2)));
            }
        }
        return rows;
    }
}
