namespace Edge.FollowMe;

/// <summary>What the two steering outputs drive.</summary>
public enum SteeringMode
{
    /// <summary>A pan/tilt head: horizontal output pans towards the target, vertical output tilts.</summary>
    PanTilt,
    /// <summary>A ground robot or drone: horizontal output yaws, vertical output drives forward (positive) or back
    /// to hold the target at <see cref="SteeringController.DesiredHeight"/>.</summary>
    YawForward,
}

/// <summary>Two steering outputs for one frame.</summary>
public readonly record struct SteeringOutput(float Horizontal, float Vertical);

/// <summary>Turns <see cref="FollowCommand"/>s into steering outputs with two <see cref="PidController"/>s. The
/// outputs are zero whenever the target is not <see cref="FollowState.Locked"/> (never steer on a guess), and both
/// controllers are reset on every state change so integral and slew memory never carry across a loss.</summary>
public sealed class SteeringController(SteeringMode mode, PidSettings horizontal, PidSettings vertical, float desiredHeight = 0.5f)
{
    private readonly PidController _horizontal = new(horizontal);
    private readonly PidController _vertical = new(vertical);
    private FollowState _previousState = FollowState.Idle;

    public SteeringMode Mode => mode;

    /// <summary>Target box height / image height to hold in <see cref="SteeringMode.YawForward"/>.</summary>
    public float DesiredHeight => desiredHeight;

    public SteeringOutput Update(in FollowCommand command, float dt)
    {
        if (command.State != _previousState)
        {
            _horizontal.Reset();
            _vertical.Reset();
            _previousState = command.State;
        }
        if (!command.IsSteerable || !command.HasBox)
        {
            return default;
        }
        float h = _horizontal.Update(command.OffsetX, dt);
        float v = mode == SteeringMode.PanTilt
            ? _vertical.Update(command.OffsetY, dt)
            : _vertical.Update(desiredHeight - command.Height, dt);
        return new SteeringOutput(h, v);
    }
}
