using System.Globalization;
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

    /// <summary>Parses the text grammar shared by <c>edge follow --select</c>, <c>edge regress</c> scripts and
    /// <c>Edge:Follow:Select</c>: <c>largest</c>, <c>center</c>, <c>id:N</c> (1 &lt;= N &lt;= int.MaxValue), <c>point:X,Y</c>,
    /// <c>region:X1,Y1,X2,Y2</c> (source pixels) or <c>label:NAME</c>. Throws <see cref="EdgeException"/> whose
    /// message starts with <paramref name="key"/>, the option or configuration key the text came from.</summary>
    public static TargetSelection Parse(string text, string key = "--select") =>
        TryParse(text, out var selection) ? selection : throw new EdgeException(
            $"{key} '{text}' is not valid: use largest, center, id:N (N >= 1), point:X,Y, region:X1,Y1,X2,Y2 (source pixels) or label:NAME.");

    /// <summary><see cref="Parse"/> without throwing.</summary>
    public static bool TryParse(string? text, out TargetSelection selection)
    {
        selection = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        string[] parts = text.Split(':', 2);
        if (parts.Length == 2 && parts[0].Trim().Equals("label", StringComparison.OrdinalIgnoreCase) && parts[1].Trim().Length > 0)
        {
            selection = WithLabel(parts[1].Trim());
            return true;
        }
        string kind = parts[0].Trim().ToLowerInvariant();
        float[] numbers = parts.Length == 2
            ? parts[1].Split(',').Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v : float.NaN).ToArray()
            : [];
        TargetSelection? parsed = (kind, numbers.Length) switch
        {
            ("largest", 0) => LargestPerson(),
            ("center", 0) => NearestToCenter(),
            ("id", 1) when TryParseTrackId(parts[1], out int id) => ById(id),
            ("point", 2) when numbers.All(float.IsFinite) => AtPoint(numbers[0], numbers[1]),
            ("region", 4) when numbers.All(float.IsFinite) && numbers[2] > numbers[0] && numbers[3] > numbers[1] =>
                FirstEntering(new BoxF(numbers[0], numbers[1], numbers[2], numbers[3])),
            _ => null,
        };
        selection = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>A whole number in [1, int.MaxValue]. Parsed as a double, which holds every int exactly: as a float,
    /// 3000000000 saturated to int.MaxValue and 16777217 became 16777216, following an id nobody asked for.</summary>
    private static bool TryParseTrackId(string text, out int id)
    {
        bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && value >= 1 && value <= int.MaxValue && value == Math.Floor(value);
        id = ok ? (int)value : 0;
        return ok;
    }

    /// <summary>Throws an <see cref="EdgeException"/> naming <paramref name="key"/> when a point lies outside the
    /// frame or a region misses it: nobody could ever be selected, and the run would follow no one without a word.
    /// A frame size not known yet (0) passes.</summary>
    public void CheckInside(int width, int height, string key = "--select")
    {
        bool inside = width <= 0 || height <= 0 || Kind switch
        {
            TargetSelectionKind.Point => X >= 0 && Y >= 0 && X <= width && Y <= height,
            TargetSelectionKind.FirstEnteringRegion => Region.X1 < width && Region.Y1 < height && Region.X2 > 0 && Region.Y2 > 0,
            _ => true,
        };
        if (!inside)
        {
            string what = Kind == TargetSelectionKind.Point
                ? string.Create(CultureInfo.InvariantCulture, $"point:{X},{Y} lies")
                : string.Create(CultureInfo.InvariantCulture, $"region:{Region.X1},{Region.Y1},{Region.X2},{Region.Y2} lies wholly");
            throw new EdgeException($"{key} {what} outside the {width}x{height} frame (source pixels).");
        }
    }

    /// <summary>The classifier label to look for (<see cref="TargetSelectionKind.Label"/> only).</summary>
    public string? Label { get; init; }
}
