using System.Text.Json;
using Edge.Geometry;

namespace Edge.Regression;

/// <summary>Reads the per-frame JSON lines the pipeline writes (<c>{"frame","t","detections":[{"class","score","box"}],
/// "tracks":[...],"follow":{...}}</c>). Unknown fields are ignored so outputs that gained fields (classifier labels,
/// attributes) still compare; a line that is not JSON or lacks a required field fails with the source and line.</summary>
public static class RegressionJsonlReader
{
    public static IReadOnlyList<RegressionFrame> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var frames = new List<RegressionFrame>();
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                frames.Add(ParseFrame(doc.RootElement));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new EdgeException($"{source}:{lineNumber}: not a valid frame line ({ex.Message})", ex);
            }
        }
        return frames;
    }

    private static RegressionFrame ParseFrame(JsonElement root)
    {
        long frame = root.GetProperty("frame").GetInt64();
        double seconds = root.TryGetProperty("t", out var t) ? t.GetDouble() : 0;
        var detections = new List<RegressionBox>();
        foreach (var d in root.GetProperty("detections").EnumerateArray())
        {
            detections.Add(new RegressionBox(d.GetProperty("class").GetInt32(), d.GetProperty("score").GetDouble(), ParseBox(d.GetProperty("box"))));
        }
        RegressionFollow? follow = null;
        if (root.TryGetProperty("follow", out var f) && f.ValueKind == JsonValueKind.Object)
        {
            var steer = f.TryGetProperty("steer", out var s) ? s.EnumerateArray().Select(e => e.GetDouble()).ToArray() : [0.0, 0.0];
            if (steer.Length != 2)
            {
                throw new FormatException("follow.steer must have two values");
            }
            follow = new RegressionFollow(
                f.GetProperty("state").GetString() ?? throw new FormatException("follow.state is null"),
                f.TryGetProperty("trackId", out var id) ? id.GetInt32() : -1,
                [Number(f, "offsetX"), Number(f, "offsetY"), Number(f, "height"), Number(f, "vx"), Number(f, "vy"), Number(f, "confidence"), steer[0], steer[1]]);
        }
        return new RegressionFrame(frame, seconds, detections, follow);
    }

    private static double Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetDouble() : 0;

    private static BoxF ParseBox(JsonElement box)
    {
        var v = box.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return v.Length == 4 ? new BoxF(v[0], v[1], v[2], v[3]) : throw new FormatException($"box must have 4 values, got {v.Length}");
    }
}
