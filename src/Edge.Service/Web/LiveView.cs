using Edge.Geometry;

namespace Edge.Service.Web;

/// <summary>One encoded frame of the annotated stream.</summary>
/// <param name="Sequence">Strictly increasing per source, starting at 1.</param>
/// <param name="Jpeg">JPEG bytes; the producer never mutates them after publishing.</param>
/// <param name="Width">Frame width in pixels (the coordinate space of tracks and clicks).</param>
/// <param name="Height">Frame height in pixels.</param>
public sealed record LiveFrame(long Sequence, ReadOnlyMemory<byte> Jpeg, int Width, int Height);

/// <summary>A track as shown in the web view; boxes are in frame pixels.</summary>
public readonly record struct LiveTrack(int Id, BoxF Box, float Score, string Label, string? CropLabel = null, float CropLabelConf = 0);

/// <summary>The tracks of one frame.</summary>
public sealed record LiveTrackSet(long Sequence, int Width, int Height, IReadOnlyList<LiveTrack> Tracks)
{
    public static readonly LiveTrackSet Empty = new(0, 0, 0, []);
}

/// <summary>What the web view reads from the pipeline. Implementations must be thread-safe: requests run on
/// the thread pool while the pipeline updates the view.</summary>
public interface ILiveView
{
    /// <summary>The newest frame, or null before the first one.</summary>
    LiveFrame? Latest { get; }

    /// <summary>Completes with the first frame whose sequence is greater than <paramref name="afterSequence"/>. The
    /// pipeline encodes frames only while they are asked for (<see cref="LiveFrameBroadcaster.DefaultDemandWindow"/>), so
    /// <see cref="Latest"/> may be old or null when nobody watches; a fresh frame follows a request within one stream
    /// interval.</summary>
    ValueTask<LiveFrame> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken);

    LiveTrackSet Tracks { get; }

    FollowState Follow { get; }
}

/// <summary>Follow Me control as exposed to the web view. Calls come from request threads; implementations
/// hand them to the pipeline and return the resulting state.</summary>
public interface IFollowControl
{
    /// <summary>Locks onto a track by id; <see cref="FollowResult.Found"/> is false when no such track exists.</summary>
    FollowResult SelectById(int trackId);

    /// <summary>Locks onto the track whose box contains the point (frame pixels); Found is false when none does.</summary>
    FollowResult SelectAtPoint(float x, float y);

    FollowState Release();
}

public readonly record struct FollowResult(bool Found, FollowState State);
