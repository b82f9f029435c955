using Edge.Capture;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Service.Events;
using Edge.Service.Pipeline;
using Edge.Tracking;

namespace Edge.Service.Tests.Pipeline;

/// <summary>The event rules of <c>edge run</c> on hand-made frames (10 fps).</summary>
public class FrameEventDeriverTests
{
    private readonly List<EdgeEvent> _events = [];
    private readonly FrameResult _frame = new();
    private long _index;

    private FrameEventDeriver Deriver(double rateHz = 2) => new(["person"], rateHz, 0.5f, _events.Add);

    private FrameResult Frame(IEnumerable<(int Id, TrackState State)> tracks, FollowCommand? follow = null)
    {
        _frame.Begin(new FrameStamp(_index, _index / 10.0), 640, 480);
        _index++;
        foreach (var (id, state) in tracks)
        {
            _frame.Tracks.Add(new TrackView(id, new BoxF(id * 10, 0, id * 10 + 8, 20), 0.9f, 0, state, 0, 0, 0, 0));
        }
        if (follow is { } c)
        {
            _frame.Follow = new FollowStatus(c.TrackId, c.State.ToString()) { Detail = c };
        }
        return _frame;
    }

    private static FollowCommand Command(FollowState state, int track) =>
        FollowCommand.Idle with { State = state, TrackId = track, Box = new BoxF(10, 0, 18, 20), HasBox = state != FollowState.Idle, Height = 0.25f, OffsetX = -0.3f };

    private IEnumerable<string> Kinds() => _events.Select(e => $"{e.Kind.WireName()}:{e.TrackId}");

    [Fact]
    public void TracksStartWhenConfirmed_EndWhenGone_AndEndAllClosesTheRest()
    {
        var d = Deriver();
        d.OnFrame(Frame([(1, TrackState.Tentative)]));
        Assert.Empty(_events);
        d.OnFrame(Frame([(1, TrackState.Confirmed), (2, TrackState.Confirmed)]));
        d.OnFrame(Frame([(1, TrackState.Lost), (2, TrackState.Confirmed)]));   // lost but kept: still live
        d.OnFrame(Frame([(2, TrackState.Confirmed), (3, TrackState.Tentative)]));
        d.OnFrame(Frame([(2, TrackState.Removed), (3, TrackState.Confirmed)]));
        Assert.Equal(["track_started:1", "track_started:2", "track_ended:1", "track_started:3", "track_ended:2"], Kinds()); // per frame: starts, then ends
        Assert.Equal(1, d.LiveTracks);
        d.EndAll(99);
        Assert.Equal(("track_ended", 3, 99L), (_events[^1].Kind.WireName(), _events[^1].TrackId!.Value, _events[^1].Frame!.Value));
        Assert.Equal(0, d.LiveTracks);
    }

    [Fact]
    public void LockLostReacquired_AndCommandsAtTheConfiguredRate()
    {
        var d = Deriver(rateHz: 2);
        d.OnFrame(Frame([], Command(FollowState.Idle, -1)));
        for (int i = 0; i < 12; i++)
        {
            d.OnFrame(Frame([], Command(FollowState.Locked, 4)));            // 1.2 s locked at 10 fps
        }
        d.OnFrame(Frame([], Command(FollowState.Searching, -1)));
        d.OnFrame(Frame([], Command(FollowState.Locked, 7)));                // found again under a new tracker id
        d.OnFrame(Frame([], Command(FollowState.Searching, -1)));
        d.OnFrame(Frame([], Command(FollowState.Lost, -1)));
        d.OnFrame(Frame([], Command(FollowState.Idle, -1)));

        Assert.Equal(
            ["target_locked:4", "follow_command:4", "follow_command:4", "follow_command:4",
             "target_lost:4", "target_reacquired:7", "follow_command:7", "target_lost:7", "target_lost:7"],
            Kinds());
        var command = _events.First(e => e.Kind == EdgeEventKind.FollowCommand).Command!;
        Assert.Equal((-0.3f, 0.25f, true), (command.Yaw, command.Distance, command.Active));
        Assert.Equal(["target not seen; searching", "search timed out"], _events.Where(e => e.TrackId == 7 && e.Kind == EdgeEventKind.TargetLost).Select(e => e.Reason));
        // Commands 0.5 s apart in source time: frames 1, 6, 11.
        Assert.Equal([1L, 6L, 11L], _events.Where(e => e.Kind == EdgeEventKind.FollowCommand && e.TrackId == 4).Select(e => e.Frame!.Value));
    }

    [Fact]
    public void ReleaseWhileLocked_IsALossWithReasonReleased()
    {
        var d = Deriver();
        d.OnFrame(Frame([], Command(FollowState.Locked, 2)));
        d.OnFrame(Frame([], Command(FollowState.Idle, -1)));
        Assert.Equal(["target_locked:2", "follow_command:2", "target_lost:2"], Kinds());
        Assert.Equal("released", _events[^1].Reason);
    }

    [Fact]
    public void ANewTargetSelectedWhileLocked_ReleasesTheOldOneAndLocksTheNew()
    {
        var d = Deriver();
        d.OnFrame(Frame([], Command(FollowState.Locked, 2)));
        d.OnFrame(Frame([], Command(FollowState.Locked, 5)));
        Assert.Equal(["target_locked:2", "follow_command:2", "target_lost:2", "target_locked:5", "follow_command:5"], Kinds());
        Assert.StartsWith("released", _events[2].Reason);
    }

    [Fact]
    public void TrackStarted_CarriesTheClassifierLabel_OnlyWhenTheTrackHasOne()
    {
        var d = Deriver();
        _frame.Begin(new FrameStamp(0, 0), 640, 480);
        _frame.Tracks.Add(new TrackView(1, new BoxF(0, 0, 8, 20), 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0) { Label = "masked", LabelConfidence = 0.87654f });
        _frame.Tracks.Add(new TrackView(2, new BoxF(20, 0, 28, 20), 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0));
        d.OnFrame(_frame);
        var json = _events.Select(e => System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(e, EdgeJsonContext.Default.EdgeEvent)).RootElement).ToList();
        Assert.Equal(2, json.Count);
        Assert.Equal(("person", "masked", 0.8765f), (json[0].GetProperty("label").GetString(), json[0].GetProperty("cropLabel").GetString(), json[0].GetProperty("cropLabelConf").GetSingle()));
        Assert.False(json[1].TryGetProperty("cropLabel", out _));
        Assert.False(json[1].TryGetProperty("cropLabelConf", out _));
    }

    [Fact]
    public void TrackLabelled_IsPublishedWhenALiveTracksLabelAppearsOrChanges_AndOnlyThen()
    {
        var d = Deriver();
        string?[] labels = [null, "masked", "masked", "vest", null];
        foreach (string? label in labels)
        {
            _frame.Begin(new FrameStamp(_index, _index / 10.0), 640, 480);
            _index++;
            _frame.Tracks.Add(new TrackView(1, new BoxF(0, 0, 8, 20), 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0) { Label = label, LabelConfidence = 0.75f });
            d.OnFrame(_frame);
        }
        Assert.Equal(["track_started:1", "track_labelled:1", "track_labelled:1"], Kinds());
        Assert.Equal([null, "masked", "vest"], _events.Select(e => e.CropLabel));
        Assert.Equal([1L, 3L], _events.Skip(1).Select(e => e.Frame!.Value));
        Assert.Equal(0.75f, _events[1].CropLabelConf);
    }
}
