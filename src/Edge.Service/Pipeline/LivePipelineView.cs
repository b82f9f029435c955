using Edge.FollowMe;
using Edge.Service.Events;
using Edge.Service.Web;
using WebFollowState = Edge.Service.Web.FollowState;

namespace Edge.Service.Pipeline;

/// <summary>The web view's window onto the running pipeline: the newest annotated JPEG, the newest track list and
/// the Follow Me state, published by <see cref="ServiceFrameSink"/> on the pipeline's output thread and read by
/// request threads. Follow requests are validated against the newest track list and handed to the
/// <see cref="FollowAnalyzer"/>, which applies them at the start of the next frame (its own lock), so the pipeline
/// never waits for a request and a request never sees a half-updated lock.</summary>
public sealed class LivePipelineView : ILiveView, IFollowControl
{
    private readonly LiveFrameBroadcaster _frames = new();
    private LiveTrackSet _tracks = LiveTrackSet.Empty;
    private WebFollowState _follow = WebFollowState.Idle;
    private FollowAnalyzer? _analyzer;

    public LiveFrame? Latest => _frames.Latest;

    public LiveTrackSet Tracks => Volatile.Read(ref _tracks);

    public WebFollowState Follow => Volatile.Read(ref _follow);

    public ValueTask<LiveFrame> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken) =>
        _frames.WaitForFrameAsync(afterSequence, cancellationToken);

    /// <summary>Connects the Follow Me step once the pipeline is built (after warm-up).</summary>
    internal void Attach(FollowAnalyzer analyzer) => Volatile.Write(ref _analyzer, analyzer);

    /// <summary>True while a viewer or a snapshot has asked for a frame recently: only then is one rendered and encoded.</summary>
    internal bool FramesWanted => _frames.Wanted;

    internal void PublishFrame(ReadOnlyMemory<byte> jpeg, int width, int height) => _frames.Publish(jpeg, width, height);

    internal void PublishTracks(LiveTrackSet tracks) => Volatile.Write(ref _tracks, tracks);

    internal void PublishFollow(WebFollowState follow) => Volatile.Write(ref _follow, follow);

    /// <summary>Queues a lock on <paramref name="trackId"/> when the newest frame has it. The returned state is the
    /// requested one; <see cref="Follow"/> reports what the lock actually did from the next frame on.</summary>
    public FollowResult SelectById(int trackId)
    {
        foreach (var t in Tracks.Tracks)
        {
            if (t.Id == trackId)
            {
                return Select(t);
            }
        }
        return new FollowResult(false, Follow);
    }

    /// <summary>Queues a lock on the track whose box contains the point; the smallest such box wins, because a
    /// click on a person standing in front of another is meant for the nearer (usually smaller overlapping) box.</summary>
    public FollowResult SelectAtPoint(float x, float y)
    {
        LiveTrack? best = null;
        foreach (var t in Tracks.Tracks)
        {
            if (x >= t.Box.X1 && x <= t.Box.X2 && y >= t.Box.Y1 && y <= t.Box.Y2
                && (best is null || t.Box.Area < best.Value.Box.Area))
            {
                best = t;
            }
        }
        return best is { } hit ? Select(hit) : new FollowResult(false, Follow);
    }

    public WebFollowState Release()
    {
        if (Volatile.Read(ref _analyzer) is { } analyzer)
        {
            analyzer.Release();
        }
        return WebFollowState.Idle with { Since = DateTimeOffset.UtcNow };
    }

    private FollowResult Select(LiveTrack track)
    {
        if (Volatile.Read(ref _analyzer) is not { } analyzer)
        {
            return new FollowResult(false, Follow);
        }
        // By id, not by point: the id is what the user saw; the point may hit someone else one frame later.
        analyzer.Select(TargetSelection.ById(track.Id));
        return new FollowResult(true, new WebFollowState(FollowMode.Locked, track.Id, EventBox.From(track.Box), DateTimeOffset.UtcNow));
    }
}
