using Edge.FollowMe;

namespace Edge.Pipeline;

/// <summary>The part of Follow Me's state that sinks and the overlay show: which track is followed (0 when none)
/// and the controller's state name (cached by the producer, so setting it per frame does not allocate). Text
/// built from the numbers is left to whoever draws it: most runs draw nothing.</summary>
public readonly record struct FollowStatus(int TargetTrackId, string State)
{
    /// <summary>The lock's full per-frame output (offsets, height, velocity, confidence, reported box).</summary>
    public FollowCommand Detail { get; init; }

    /// <summary>The steering controller's output for this frame (zero unless locked).</summary>
    public SteeringOutput Steering { get; init; }

    /// <summary>What <see cref="Steering"/>'s two outputs drive.</summary>
    public SteeringMode Mode { get; init; }
}
