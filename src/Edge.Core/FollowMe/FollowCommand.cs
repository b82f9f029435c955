using Edge.Geometry;

namespace Edge.FollowMe;

/// <summary>What the lock reports every frame; the input of a steering controller.</summary>
/// <param name="State">Lock state after this frame.</param>
/// <param name="TrackId">Tracker id currently carrying the target, -1 when none.</param>
/// <param name="Box">The followed person's box in source pixels: the tracker's box while
/// <see cref="FollowState.Locked"/>, the lock's own prediction while <see cref="FollowState.Searching"/>.</param>
/// <param name="HasBox">False when there is no box to report (Idle, Lost, or coasting switched off).</param>
/// <param name="OffsetX">Box centre's horizontal offset from the image centre, -1 (left edge) .. 1 (right edge).</param>
/// <param name="OffsetY">Box centre's vertical offset from the image centre, -1 (top) .. 1 (bottom).</param>
/// <param name="Height">Box height / image height: a distance proxy (larger is closer).</param>
/// <param name="VelocityX">Centre velocity in offset units per second.</param>
/// <param name="VelocityY">Centre velocity in offset units per second.</param>
/// <param name="Confidence">0..1: 1 while the tracker carries the target, the re-acquisition score after a
/// re-acquisition, decaying towards 0 over the search time while searching.</param>
public readonly record struct FollowCommand(
    FollowState State,
    int TrackId,
    BoxF Box,
    bool HasBox,
    float OffsetX,
    float OffsetY,
    float Height,
    float VelocityX,
    float VelocityY,
    float Confidence)
{
    public static FollowCommand Idle => new(FollowState.Idle, -1, default, false, 0f, 0f, 0f, 0f, 0f, 0f);

    /// <summary>True when a steering controller should act on the offsets.</summary>
    public bool IsSteerable => State == FollowState.Locked;
}
