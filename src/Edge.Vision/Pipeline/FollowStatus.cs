using Edge.FollowMe;

namespace Edge.Pipeline;

/// <summary>The part of Follow Me's state that sinks and the overlay show: which track is followed (0 when none),
/// the controller's state name and the steering command text. Strings should be cached by the producer
/// (a handful of states) so setting it per frame does not allocate.</summary>
public readonly record struct FollowStatus(int TargetTrackId, string State, string Command)
{
    /// <summary>The lock's full per-frame output (offsets, height, velocity, confidence, reported box).</summary>
    public FollowCommand Detail { get; init; }

    /// <summary>The steering controller's output for this frame (zero unless locked).</summary>
    public SteeringOutput Steering { get; init; }
}
