using System.Text.Json.Serialization;
using Edge.Service.Events;

namespace Edge.Service.Web;

public enum FollowMode
{
    [JsonStringEnumMemberName("idle")] Idle = 0,
    [JsonStringEnumMemberName("locked")] Locked = 1,
    [JsonStringEnumMemberName("lost")] Lost = 2,
}

/// <summary>The Follow Me state as reported by <c>GET /api/follow</c>.</summary>
/// <param name="Mode">idle (no target), locked (target visible), lost (target selected but not seen).</param>
/// <param name="TrackId">The selected track, when not idle.</param>
/// <param name="Box">The target's last box.</param>
/// <param name="Since">When the mode last changed.</param>
public sealed record FollowState(FollowMode Mode, int? TrackId = null, EventBox? Box = null, DateTimeOffset? Since = null)
{
    public static readonly FollowState Idle = new(FollowMode.Idle);
}
