using System.Text.Json.Serialization;

namespace Edge.Service.Health;

/// <summary>Ordered from best to worst so the overall status is the maximum over components.</summary>
public enum HealthStatus
{
    [JsonStringEnumMemberName("healthy")] Healthy = 0,
    [JsonStringEnumMemberName("degraded")] Degraded = 1,
    [JsonStringEnumMemberName("unhealthy")] Unhealthy = 2,
}

/// <summary>A component's last report.</summary>
public sealed record ComponentHealth(HealthStatus Status, string? Reason, DateTimeOffset Updated, double AgeSeconds);

/// <summary>The <c>/healthz</c> body.</summary>
public sealed record HealthReport(HealthStatus Status, DateTimeOffset Time, IReadOnlyDictionary<string, ComponentHealth> Components);
