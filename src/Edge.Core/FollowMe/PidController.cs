namespace Edge.FollowMe;

/// <summary>Gains and limits of a <see cref="PidController"/>.</summary>
/// <param name="Kp">Proportional gain.</param>
/// <param name="Ki">Integral gain (per second).</param>
/// <param name="Kd">Derivative gain (seconds).</param>
/// <param name="DeadBand">Errors with |e| &lt;= this count as zero; larger errors are shifted towards zero by it, so
/// the output has no step at the band's edge.</param>
/// <param name="OutputMin">Lowest output.</param>
/// <param name="OutputMax">Highest output.</param>
/// <param name="MaxRate">Largest output change per second (slew limit); 0 or infinity for none.</param>
public readonly record struct PidSettings(float Kp, float Ki, float Kd, float DeadBand, float OutputMin, float OutputMax, float MaxRate)
{
    public void Validate()
    {
        if (!(OutputMin <= OutputMax) || DeadBand < 0f || MaxRate < 0f || Kp < 0f || Ki < 0f || Kd < 0f)
        {
            throw new EdgeException($"PID settings are invalid: {this} (need non-negative gains, dead-band and rate, OutputMin <= OutputMax).");
        }
    }
}

/// <summary>A discrete PID controller with dead-band, output clamp, slew-rate limit and integral anti-windup by
/// conditional integration (the integral is frozen while the output is saturated in the direction the error
/// pushes; Astrom and Hagglund, "Advanced PID Control", 2006, section 3.5). The derivative acts on the error,
/// and is zero on the first step after a reset so a new target does not kick the output.</summary>
public sealed class PidController
{
    private readonly PidSettings _settings;
    private float _integral;
    private float _previousError;
    private float _previousOutput;
    private bool _hasPrevious;

    public PidController(PidSettings settings)
    {
        settings.Validate();
        _settings = settings;
    }

    public PidSettings Settings => _settings;

    /// <summary>The last output (0 after a reset).</summary>
    public float Output => _previousOutput;

    /// <summary>Clears integral, derivative memory and the output (so the slew limit starts from 0).</summary>
    public void Reset()
    {
        _integral = 0f;
        _previousError = 0f;
        _previousOutput = 0f;
        _hasPrevious = false;
    }

    /// <summary>One control step for an error measured <paramref name="dt"/> seconds after the previous one.</summary>
    public float Update(float error, float dt)
    {
        if (!(dt > 0f) || !float.IsFinite(error))
        {
            throw new ArgumentOutOfRangeException(nameof(dt), $"PID step needs dt > 0 and a finite error (dt {dt}, error {error}).");
        }
        PidSettings s = _settings;
        float e = MathF.Abs(error) <= s.DeadBand ? 0f : error - MathF.CopySign(s.DeadBand, error);
        float derivative = _hasPrevious ? (e - _previousError) / dt : 0f;
        float integral = _integral + e * dt;
        float raw = s.Kp * e + s.Ki * integral + s.Kd * derivative;
        bool saturatedHigh = raw > s.OutputMax && e > 0f;
        bool saturatedLow = raw < s.OutputMin && e < 0f;
        if (saturatedHigh || saturatedLow)
        {
            // Anti-windup: keep the old integral while the error pushes further into saturation.
            integral = _integral;
            raw = s.Kp * e + s.Ki * integral + s.Kd * derivative;
        }
        float output = Math.Clamp(raw, s.OutputMin, s.OutputMax);
        if (s.MaxRate > 0f && float.IsFinite(s.MaxRate))
        {
            float step = s.MaxRate * dt;
            output = Math.Clamp(output, _previousOutput - step, _previousOutput + step);
        }
        _integral = integral;
        _previousError = e;
        _previousOutput = output;
        _hasPrevious = true;
        return output;
    }
}
