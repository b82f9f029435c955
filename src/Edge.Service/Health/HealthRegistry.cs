using System.Collections.Concurrent;

namespace Edge.Service.Health;

/// <summary>Components (capture, inference, sinks, mqtt, ...) report Healthy / Degraded / Unhealthy with a reason.
/// A component registered with <see cref="Expect"/> starts Unhealthy ("no report yet") and turns Unhealthy again
/// when it stops reporting for longer than its staleness window, so a hung capture thread is visible even though
/// it can no longer report about itself.</summary>
public sealed class HealthRegistry(TimeProvider? time = null)
{
    private sealed record Entry(HealthStatus Status, string? Reason, DateTimeOffset Updated, TimeSpan? StaleAfter);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Declares a component that must report; <paramref name="staleAfter"/> (optional) marks it Unhealthy
    /// when its last report is older than that.</summary>
    public void Expect(string component, TimeSpan? staleAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        _entries.AddOrUpdate(component,
            _ => new Entry(HealthStatus.Unhealthy, "no report yet", _time.GetUtcNow(), staleAfter),
            (_, old) => old with { StaleAfter = staleAfter });
    }

    public void Report(string component, HealthStatus status, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        var now = _time.GetUtcNow();
        _entries.AddOrUpdate(component,
            _ => new Entry(status, reason, now, null),
            (_, old) => new Entry(status, reason, now, old.StaleAfter));
    }

    public HealthReport Snapshot()
    {
        var now = _time.GetUtcNow();
        var components = new SortedDictionary<string, ComponentHealth>(StringComparer.Ordinal);
        var overall = HealthStatus.Healthy;
        foreach (var (name, e) in _entries)
        {
            var age = now - e.Updated;
            var status = e.Status;
            var reason = e.Reason;
            if (e.StaleAfter is { } stale && age > stale && status != HealthStatus.Unhealthy)
            {
                status = HealthStatus.Unhealthy;
                reason = $"no report for {age.TotalSeconds:0.0} s (limit {stale.TotalSeconds:0.0} s); last: {e.Reason ?? e.Status.ToString()}";
            }
            components[name] = new ComponentHealth(status, reason, e.Updated, Math.Round(age.TotalSeconds, 3));
            if (status > overall)
            {
                overall = status;
            }
        }
        return new HealthReport(overall, now, components);
    }
}
