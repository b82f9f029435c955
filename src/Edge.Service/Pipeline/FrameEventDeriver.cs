using Edge.FollowMe;
using Edge.Pipeline;
using Edge.Service.Events;
using Edge.Tracking;

namespace Edge.Service.Pipeline;

/// <summary>Turns the per-frame tracks and Follow Me state into the service's sparse events: track started (first
/// frame a track is confirmed), track labelled (the secondary classifier's label of a live track appears or
/// changes), track ended (a started track is removed or no longer reported), target locked,
/// lost (the lock stops seeing its target, then again when the search times out), re-acquired (seen again after a
/// search) and follow_command at a bounded rate while locked. Pure bookkeeping, no I/O: events go to a callback.
/// Frame-to-frame state lives in two reused sets, so frames without events allocate nothing. It runs as an analyzer,
/// which sees every frame, not as a sink: a live run's sinks may skip frames, and a skipped frame would lose a short
/// track's start and end or a lock's loss.</summary>
public sealed class FrameEventDeriver(IReadOnlyList<string> classNames, double commandRateHz, float desiredHeight, Action<EdgeEvent> publish)
    : IFrameAnalyzer
{
    private readonly double _commandInterval = 1 / commandRateHz;
    private HashSet<int> _live = [];
    private HashSet<int> _seen = [];
    private readonly Dictionary<int, string> _labels = [];
    private FollowState _followState = FollowState.Idle;
    private int _followTrack = -1;
    private double _lastCommandSeconds = double.NegativeInfinity;
    private long _lastFrame;

    /// <summary>Tracks started so far that have not ended.</summary>
    public int LiveTracks => _live.Count;

    void IFrameAnalyzer.Analyze(FrameResult result, OpenCvSharp.Mat frame) => OnFrame(result);

    public void OnFrame(FrameResult result)
    {
        _lastFrame = result.FrameIndex;
        DeriveTrackEvents(result);
        if (result.Follow is { } follow)
        {
            DeriveFollowEvents(result, follow);
        }
    }

    /// <summary>Ends every live track at the last frame seen (the pipeline has drained), so a consumer's track table
    /// closes cleanly.</summary>
    public void EndAll() => EndAll(_lastFrame);

    /// <summary>Ends every live track at <paramref name="frame"/>.</summary>
    public void EndAll(long frame)
    {
        foreach (int id in _live)
        {
            publish(EdgeEvent.TrackEnded(frame, id));
        }
        _live.Clear();
        _labels.Clear();
    }

    private void DeriveTrackEvents(FrameResult result)
    {
        _seen.Clear();
        foreach (ref readonly TrackView t in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result.Tracks))
        {
            if (t.State == TrackState.Removed)
            {
                continue;
            }
            if (_live.Contains(t.Id))
            {
                _seen.Add(t.Id);
                if (t.Label is { } label && (!_labels.TryGetValue(t.Id, out string? last) || last != label))
                {
                    _labels[t.Id] = label;
                    publish(EdgeEvent.TrackLabelled(result.FrameIndex, t.Id, Label(t.ClassId), label, t.LabelConfidence));
                }
            }
            else if (t.State == TrackState.Confirmed)
            {
                _seen.Add(t.Id);
                if (t.Label is { } label)
                {
                    _labels[t.Id] = label;
                }
                publish(EdgeEvent.TrackStarted(result.FrameIndex, t.Id, t.Box, t.Score, Label(t.ClassId), t.Label, t.LabelConfidence));
            }
        }
        foreach (int id in _live)
        {
            if (!_seen.Contains(id))
            {
                _labels.Remove(id);
                publish(EdgeEvent.TrackEnded(result.FrameIndex, id));
            }
        }
        (_live, _seen) = (_seen, _live);
    }

    private void DeriveFollowEvents(FrameResult result, FollowStatus follow)
    {
        FollowCommand c = follow.Detail;
        FollowState before = _followState;
        long frame = result.FrameIndex;
        if (c.State == FollowState.Locked && (before != FollowState.Locked || c.TrackId != _followTrack))
        {
            if (before == FollowState.Locked)
            {
                // A new target chosen while one was locked (the lock takes another id without a search only then):
                // the old one is released, the new one locked.
                publish(EdgeEvent.TargetLost(frame, _followTrack, "released: another target was selected"));
            }
            publish(before is FollowState.Searching
                ? EdgeEvent.TargetReacquired(frame, c.TrackId, c.Box)
                : EdgeEvent.TargetLocked(frame, c.TrackId, c.Box));
            _lastCommandSeconds = double.NegativeInfinity;
        }
        else if (before == FollowState.Locked && c.State == FollowState.Searching)
        {
            publish(EdgeEvent.TargetLost(frame, _followTrack, "target not seen; searching"));
        }
        else if (before is FollowState.Locked or FollowState.Searching && c.State is FollowState.Lost or FollowState.Idle)
        {
            publish(EdgeEvent.TargetLost(frame, _followTrack, c.State == FollowState.Lost ? "search timed out" : "released"));
        }
        if (c.State == FollowState.Locked && result.Seconds - _lastCommandSeconds >= _commandInterval * 0.999)
        {
            _lastCommandSeconds = result.Seconds;
            publish(EdgeEvent.Follow(frame, c.TrackId, new FollowCommandPayload(c.OffsetX, desiredHeight - c.Height, c.IsSteerable)));
        }
        _followState = c.State;
        if (c.TrackId >= 0)
        {
            _followTrack = c.TrackId;
        }
    }

    private string Label(int classId) => (uint)classId < (uint)classNames.Count ? classNames[classId] : classId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
