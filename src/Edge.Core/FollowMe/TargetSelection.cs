using Edge.Geometry;

namespace Edge.FollowMe;

/// <summary>How the person to follow is chosen.</summary>
public enum TargetSelectionKind
{
    /// <summary>The track with a given id.</summary>
    TrackId,
    /// <summary>The person under an image point (a click): smallest box containing it, else nearest centre.</summary>
    Point,
    /// <summary>The person with the largest box (usually the nearest).</summary>
    Largest,
    /// <summary>The person whose box centre is nearest the image centre.</summary>
    NearestCenter,
    /// <summary>The first person whose box centre enters a region after the request.</summary>
    FirstEnteringRegion,
    /// <summary>The person whose secondary-classifier label is <see cref="TargetSelection.Label"/> (most confident
    /// first); waits until someone carries that label.</summary>
    Label,
}

/// <summary>A request to lock onto one person; resolved against the tracks of the next update (or, for
/// <see cref="TargetSelectionKind.FirstEnteringRegion"/>, of the first update in which someone enters).</summary>
public readonly record struct TargetSelection(TargetSelectionKind Kind, int TrackId, float X, float Y, BoxF Region)
{
    public static TargetSelection ById(int trackId) => new(TargetSelectionKind.TrackId, trackId, 0f, 0f, default);

    public static TargetSelection AtPoint(float x, float y) => new(TargetSelectionKind.Point, 0, x, y, default);

    public static TargetSelection LargestPerson() => new(TargetSelectionKind.Largest, 0, 0f, 0f, default);

    public static TargetSelection NearestToCenter() => new(TargetSelectionKind.NearestCenter, 0, 0f, 0f, default);

    public static TargetSelection FirstEntering(BoxF region) => new(TargetSelectionKind.FirstEnteringRegion, 0, 0f, 0f, region);

    public static TargetSelection WithLabel(string label) => new(TargetSelectionKind.Label, 0, 0f, 0f, default) { Label = label };

    /// <summary>The classifier label to look for (<see cref="TargetSelectionKind.Label"/> only).</summary>
    public string? Label { get; init; }
}
