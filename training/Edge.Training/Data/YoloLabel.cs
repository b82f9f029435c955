using System.Globalization;
using Edge.Geometry;

namespace Edge.Training.Data;

/// <summary>YOLO label lines: "class cx cy w h", all normalised to 0..1 by the image size.</summary>
public static class YoloLabel
{
    public static string Format(int classId, BoxF box, int width, int height) => string.Create(CultureInfo.InvariantCulture,
        $"{classId} {box.CenterX / width:0.######} {box.CenterY / height:0.######} {box.Width / width:0.######} {box.Height / height:0.######}");

    /// <summary>Reads a label file back to pixel boxes; an empty or missing file means no objects.</summary>
    public static IReadOnlyList<(int ClassId, BoxF Box)> Read(string path, int width, int height)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var result = new List<(int, BoxF)>();
        int lineNo = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNo++;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            if (parts.Length != 5 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int c)
                || !parts[1..].All(p => float.TryParse(p, CultureInfo.InvariantCulture, out _)))
            {
                throw new EdgeException($"{path}:{lineNo}: expected 'class cx cy w h', got '{line}'");
            }
            float[] v = parts[1..].Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            result.Add((c, BoxF.FromCenter(v[0] * width, v[1] * height, v[2] * width, v[3] * height)));
        }
        return result;
    }
}
