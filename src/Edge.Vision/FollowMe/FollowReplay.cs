using Edge.Capture;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.FollowMe;

/// <summary>Follow Me told to select a target at one frame of a replay: the lock runs after the tracking step as in
/// <c>edge follow</c>, and its <see cref="AppearanceDemand"/> (when wired to the tracking step) steers the re-id
/// budget.</summary>
public sealed record FollowReplayTarget(FollowAnalyzer Analyzer, int Frame, TargetSelection Selection);

/// <summary>Replays recorded detections with their frames (a video file or a MOTChallenge <c>img1/</c> folder)
/// through the tracking step exactly as <c>edge follow</c> runs it: camera-motion estimate, appearance rows of the
/// detections, tracker. The result holds, for every frame, the tracks, their appearance rows (the matched detection's,
/// which <see cref="FollowFrameInput.WriteTrackRows"/> picks), which rows are fresh and the camera motion: what
/// <see cref="FollowAnalyzer"/> hands the lock, so <see cref="FollowEvaluation"/> can score it on ground truth.</summary>
public static class FollowReplay
{
    /// <param name="name">Sequence name for results and messages.</param>
    /// <param name="frames">The frames the detections were made on, in order.</param>
    /// <param name="detections">Detections per frame (index 0 = first frame).</param>
    /// <param name="truth">Ground truth per frame; the source must have at least as many frames.</param>
    /// <param name="tracking">The tracking step (owned by the caller).</param>
    /// <param name="follow">Optional lock in the loop, for a re-id budget that follows the target.</param>
    /// <param name="progress">Told the number of frames replayed after each frame.</param>
    public static FollowSequence Run(string name, IFrameSource frames, IReadOnlyList<IReadOnlyList<Detection.Detection>> detections, FollowTruthBox[][] truth,
        TrackingAnalyzer tracking, FollowReplayTarget? follow = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(tracking);
        int length = truth.Length;
        if (detections.Count < length)
        {
            throw new EdgeException($"{name}: detections for {detections.Count} frames, ground truth for {length}.");
        }
        var tracks = new TrackView[length][];
        var rows = new float[length][];
        var fresh = new bool[length][];
        var motion = new Affine2D[length];
        int dimension = 0;
        var result = new FrameResult();
        using var frame = new Mat();
        for (int f = 0; f < length; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!frames.TryRead(frame, out _) || frame.Empty())
            {
                throw new EdgeException($"{name}: {frames.Name} ended after {f} frames; the ground truth has {length}.");
            }
            result.Begin(new FrameStamp(f, f / frames.Fps), frame.Width, frame.Height);
            result.Detections.AddRange(detections[f]);
            tracking.Analyze(result, frame);
            if (follow is not null)
            {
                if (f == follow.Frame)
                {
                    follow.Analyzer.Select(follow.Selection);
                }
                follow.Analyzer.Analyze(result, frame);
            }
            TrackView[] frameTracks = [.. result.Tracks];
            dimension = Math.Max(dimension, result.AppearanceDimension);
            rows[f] = new float[frameTracks.Length * result.AppearanceDimension];
            fresh[f] = [.. Enumerable.Repeat(true, frameTracks.Length)];
            if (result.AppearanceDimension > 0)
            {
                FollowFrameInput.WriteTrackRows(frameTracks, result.Appearance.Span, result.AppearanceDimension, rows[f]);
                if (!result.FreshAppearance.IsEmpty)
                {
                    FollowFrameInput.WriteTrackFreshness(frameTracks, result.FreshAppearance.Span, fresh[f]);
                }
            }
            tracks[f] = frameTracks;
            motion[f] = result.CameraMotion;
            progress?.Report(f + 1);
        }
        return new FollowSequence(name, (float)frames.Fps, frames.Width, frames.Height, truth, tracks,
            dimension > 0 ? rows : null, dimension, motion, dimension > 0 ? fresh : null);
    }
}
