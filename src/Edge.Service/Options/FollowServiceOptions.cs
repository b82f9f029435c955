using Edge.FollowMe;

namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Follow</c>: Follow Me in the live service.</summary>
public sealed class FollowServiceOptions
{
    public const string Section = "Edge:Follow";

    /// <summary>Whom to lock onto at start: empty (wait for a click in the web view or POST /api/follow) or the
    /// <c>edge follow --select</c> grammar (<see cref="TargetSelection.Parse"/>): largest, center, id:N, point:X,Y,
    /// region:X1,Y1,X2,Y2, label:NAME.</summary>
    public string? Select { get; set; }

    public SteeringMode Steering { get; set; } = SteeringMode.PanTilt;

    /// <summary>follow_command events per second while locked (JSONL and MQTT). Each frame computes a command; a
    /// robot's controller needs a steady rate, not every frame of a 30 fps camera.</summary>
    public double CommandRateHz { get; set; } = 5;

    /// <summary>The tracker configuration: default, reference or sort (as <c>edge track --tracker</c>).</summary>
    public string Tracker { get; set; } = "default";

    public TargetSelection? InitialSelection() =>
        string.IsNullOrWhiteSpace(Select) ? null : TargetSelection.Parse(Select.Trim(), Section + ":Select");
}
