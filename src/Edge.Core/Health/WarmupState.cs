namespace Edge.Health;

/// <summary>Where a service is in its start-up.</summary>
public enum WarmupPhase
{
    Starting,
    /// <summary>Opening the camera, loading the model, building/loading the TensorRT engine, first inference.</summary>
    WarmingUp,
    Ready,
    Failed,
}

/// <summary>A read-only view for health endpoints and the systemd notifier.</summary>
public readonly record struct WarmupSnapshot(WarmupPhase Phase, string Detail, DateTimeOffset Since)
{
    public bool IsHealthy => Phase == WarmupPhase.Ready;
}

/// <summary>The service's "healthy only after warm-up" flag. The pipeline marks each step; the health endpoint reports
/// <see cref="WarmupSnapshot.IsHealthy"/>; the host awaits <see cref="WhenReady"/> before it signals systemd READY=1
/// (Type=notify), so a unit that is still building its TensorRT engine is "activating", not "active".
/// Thread-safe; transitions out of Ready or Failed are ignored except <see cref="MarkFailed"/> from Ready
/// (a pipeline that dies after start must turn the health check red).</summary>
public sealed class WarmupState(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private WarmupSnapshot? _current;

    public WarmupSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current ??= new WarmupSnapshot(WarmupPhase.Starting, "starting", _time.GetUtcNow());
            }
        }
    }

    public bool IsHealthy => Current.IsHealthy;

    /// <summary>Completes when the state becomes Ready; faults with an <see cref="EdgeException"/> when it fails first.</summary>
    public Task WhenReady => _ready.Task;

    public void MarkWarmingUp(string detail) => Move(WarmupPhase.WarmingUp, detail);

    public void MarkReady(string detail = "ready")
    {
        if (Move(WarmupPhase.Ready, detail))
        {
            _ready.TrySetResult();
        }
    }

    public void MarkFailed(string reason)
    {
        lock (_gate)
        {
            if (Current.Phase == WarmupPhase.Failed)
            {
                return;
            }
            _current = new WarmupSnapshot(WarmupPhase.Failed, reason, _time.GetUtcNow());
        }
        _ready.TrySetException(new EdgeException($"warm-up failed: {reason}"));
    }

    private bool Move(WarmupPhase phase, string detail)
    {
        lock (_gate)
        {
            var now = Current;
            if (now.Phase is WarmupPhase.Ready or WarmupPhase.Failed)
            {
                return false;
            }
            _current = new WarmupSnapshot(phase, detail, _time.GetUtcNow());
            return true;
        }
    }
}
