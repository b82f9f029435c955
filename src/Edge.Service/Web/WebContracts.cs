using Edge.Service.Events;

namespace Edge.Service.Web;

/// <summary>Body of <c>POST /api/follow</c>: exactly one of {x, y}, {trackId} or {release: true}.</summary>
public sealed record FollowRequest(double? X = null, double? Y = null, int? TrackId = null, bool? Release = null);

/// <param name="CropLabel">Secondary classifier label (Edge:Tracking:Classifier); omitted when the track has none.</param>
/// <param name="CropLabelConf">Mean probability of <paramref name="CropLabel"/>; omitted with it.</param>
public sealed record TrackDto(int Id, EventBox Box, float Score, string Label, string? CropLabel = null, float? CropLabelConf = null);

/// <summary>Body of <c>GET /api/tracks</c>.</summary>
public sealed record TrackListResponse(long Frame, int Width, int Height, IReadOnlyList<TrackDto> Tracks, FollowState Follow);

/// <summary>Every 4xx/5xx body: one human-readable message.</summary>
public sealed record ErrorResponse(string Error);
