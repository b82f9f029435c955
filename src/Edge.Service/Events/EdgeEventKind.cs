using System.Text.Json.Serialization;

namespace Edge.Service.Events;

/// <summary>What happened. The JSON name is also the last MQTT topic level (<c>edge/&lt;device&gt;/&lt;kind&gt;</c>).</summary>
public enum EdgeEventKind
{
    [JsonStringEnumMemberName("track_started")] TrackStarted,
    [JsonStringEnumMemberName("track_ended")] TrackEnded,
    [JsonStringEnumMemberName("track_labelled")] TrackLabelled,
    [JsonStringEnumMemberName("target_locked")] TargetLocked,
    [JsonStringEnumMemberName("target_lost")] TargetLost,
    [JsonStringEnumMemberName("target_reacquired")] TargetReacquired,
    [JsonStringEnumMemberName("follow_command")] FollowCommand,
    [JsonStringEnumMemberName("status")] Status,
}

public static class EdgeEventKindNames
{
    /// <summary>The wire name, without allocating (used to build MQTT topics).</summary>
    public static string WireName(this EdgeEventKind kind) => kind switch
    {
        EdgeEventKind.TrackStarted => "track_started",
        EdgeEventKind.TrackEnded => "track_ended",
        EdgeEventKind.TrackLabelled => "track_labelled",
        EdgeEventKind.TargetLocked => "target_locked",
        EdgeEventKind.TargetLost => "target_lost",
        EdgeEventKind.TargetReacquired => "target_reacquired",
        EdgeEventKind.FollowCommand => "follow_command",
        EdgeEventKind.Status => "status",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };
}
