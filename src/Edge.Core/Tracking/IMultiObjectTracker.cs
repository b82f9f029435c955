using Edge.Detection;
using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>Per-frame extra inputs a tracker may use; all optional.</summary>
/// <param name="CameraMotion">Previous-to-current frame warp (identity when unknown).</param>
/// <param name="Embeddings">Row-major appearance vectors, one row of <paramref name="EmbeddingDimension"/>
/// floats per detection in the same order, L2-normalised; empty when appearance is off.</param>
/// <param name="EmbeddingDimension">Length of one embedding row, 0 when appearance is off.</param>
/// <param name="FrameStep">Source frames since the previous update: 1 unless frames were dropped (a live pipeline
/// processes the newest frame); the motion model predicts that many frames ahead and lost tracks age by it, so the
/// track buffer keeps its meaning in seconds. Values below 1 count as 1.</param>
public readonly record struct TrackerFrameContext(
    Affine2D CameraMotion,
    ReadOnlyMemory<float> Embeddings,
    int EmbeddingDimension,
    int FrameStep = 1)
{
    public static TrackerFrameContext None => new(Affine2D.Identity, ReadOnlyMemory<float>.Empty, 0);
}

/// <summary>An online multi-object tracker fed one frame of detections at a time.</summary>
public interface IMultiObjectTracker
{
    /// <summary>Advances to the next processed frame (<see cref="TrackerFrameContext.FrameStep"/> source frames on). Returns every track that is not removed (tentative, confirmed and lost),
    /// valid until the next call. Consumers that want ByteTrack's output (MOT results, overlays) keep
    /// <see cref="TrackState.Confirmed"/> tracks with <see cref="TrackView.FramesSinceUpdate"/> == 0.</summary>
    ReadOnlySpan<TrackView> Update(ReadOnlySpan<Detection.Detection> detections, in TrackerFrameContext context);

    /// <summary>Forgets all tracks; ids restart at 1.</summary>
    void Reset();
}
