using System.Text.Json.Serialization;
using Edge.Service.Health;
using Edge.Service.Web;

namespace Edge.Service.Events;

/// <summary>Source-generated System.Text.Json metadata for everything the service writes or reads: no reflection,
/// trimming-safe. Request bodies reject unknown members so a typo ("trackid") is a 400, not a silent no-op.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EdgeEvent))]
[JsonSerializable(typeof(FollowRequest))]
[JsonSerializable(typeof(FollowState))]
[JsonSerializable(typeof(TrackListResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HealthReport))]
public sealed partial class EdgeJsonContext : JsonSerializerContext;
