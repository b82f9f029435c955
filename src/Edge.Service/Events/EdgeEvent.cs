using Edge.Geometry;

namespace Edge.Service.Events;

/// <summary>A box on the wire: corners in source pixels (MOTChallenge convention, x2 = x1 + width).</summary>
public sealed record EventBox(float X1, float Y1, float X2, float Y2)
{
    public static EventBox From(BoxF b) => new(b.X1, b.Y1, b.X2, b.Y2);
}

/// <summary>A steering command emitted by Follow Me: normalised horizontal error in [-1, 1] (negative = target
/// left of centre), normalised size error and whether the controller wants motion at all.</summary>
public sealed record FollowCommandPayload(float Yaw, float Distance, bool Active);

/// <summary>One event as written to JSONL and published over MQTT. Flat on purpose: consumers (jq, Node-RED,
/// Home Assistant) read fields directly; fields that do not apply to a kind are omitted from the JSON.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Time">Wall-clock time (UTC) the event was raised.</param>
/// <param name="Seq">Per-process sequence number, so consumers can spot gaps and QoS 1 duplicates; omitted (0) on
/// status messages, which the MQTT publisher sends itself, outside the sequence.</param>
/// <param name="Frame">Source frame index, when the event comes from the pipeline.</param>
/// <param name="TrackId">Tracker id (track events, target events).</param>
/// <param name="Box">Track box at the time of the event.</param>
/// <param name="Score">Detection score.</param>
/// <param name="Label">Class label, e.g. "person".</param>
/// <param name="Command">Follow command payload (follow_command only).</param>
/// <param name="State">Status state ("online", "offline", ...), status only.</param>
/// <param name="Reason">Human-readable reason (lost target, status change).</param>
/// <param name="Dropped">Events dropped by a sink so far (status only).</param>
/// <param name="CropLabel">Smoothed label of the secondary classifier on the track's crops (Edge:Tracking:Classifier),
/// omitted until the track has enough votes.</param>
/// <param name="CropLabelConf">Mean probability of <paramref name="CropLabel"/>.</param>
public sealed record EdgeEvent(
    EdgeEventKind Kind,
    DateTimeOffset Time,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] long Seq = 0,
    long? Frame = null,
    int? TrackId = null,
    EventBox? Box = null,
    float? Score = null,
    string? Label = null,
    FollowCommandPayload? Command = null,
    string? State = null,
    string? Reason = null,
    long? Dropped = null,
    string? CropLabel = null,
    float? CropLabelConf = null)
{
    public static EdgeEvent TrackStarted(long frame, int trackId, BoxF box, float score, string label, string? cropLabel = null, float cropLabelConf = 0) =>
        new(EdgeEventKind.TrackStarted, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId, Box: EventBox.From(box), Score: score, Label: label,
            CropLabel: cropLabel, CropLabelConf: cropLabel is null ? null : MathF.Round(cropLabelConf, 4));

    /// <summary>The secondary classifier's smoothed label of a live track appeared or changed.</summary>
    public static EdgeEvent TrackLabelled(long frame, int trackId, string label, string cropLabel, float cropLabelConf) =>
        new(EdgeEventKind.TrackLabelled, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId, Label: label,
            CropLabel: cropLabel, CropLabelConf: MathF.Round(cropLabelConf, 4));

    public static EdgeEvent TrackEnded(long frame, int trackId) =>
        new(EdgeEventKind.TrackEnded, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId);

    public static EdgeEvent TargetLocked(long frame, int trackId, BoxF box) =>
        new(EdgeEventKind.TargetLocked, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId, Box: EventBox.From(box));

    public static EdgeEvent TargetLost(long frame, int trackId, string reason) =>
        new(EdgeEventKind.TargetLost, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId, Reason: reason);

    public static EdgeEvent TargetReacquired(long frame, int trackId, BoxF box) =>
        new(EdgeEventKind.TargetReacquired, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId, Box: EventBox.From(box));

    public static EdgeEvent Follow(long frame, int trackId, FollowCommandPayload command) =>
        new(EdgeEventKind.FollowCommand, DateTimeOffset.UtcNow, Frame: frame, TrackId: trackId, Command: command);

    public static EdgeEvent Status(string state, string? reason = null, long? dropped = null) =>
        new(EdgeEventKind.Status, DateTimeOffset.UtcNow, State: state, Reason: reason, Dropped: dropped);
}
