using System.Globalization;
using System.Text;

namespace Edge.Models;

/// <summary>The ONNX <c>metadata_props</c> Ultralytics writes on export (ultralytics/engine/exporter.py): names as a
/// Python dict literal "{0: 'person', 1: 'bicycle'}", imgsz "[640, 640]" (height, width), stride, task, batch,
/// end2end. Missing or unparsable keys stay null.</summary>
public sealed record UltralyticsMetadata(
    IReadOnlyList<string>? Names,
    int? InputHeight,
    int? InputWidth,
    int? Stride,
    string? Task,
    int? Batch,
    bool? EndToEnd,
    string? Author)
{
    /// <summary>True when the metadata looks like an Ultralytics export (author, or names plus task).</summary>
    public bool IsUltralytics =>
        (Author?.Contains("Ultralytics", StringComparison.OrdinalIgnoreCase) ?? false) || (Names is not null && Task is not null);

    public static UltralyticsMetadata Parse(IReadOnlyDictionary<string, string> props)
    {
        ArgumentNullException.ThrowIfNull(props);
        string? Get(string key) => props.TryGetValue(key, out string? v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        IReadOnlyList<string>? names = Get("names") is { } n ? ParseNames(n) : null;
        int[]? imgsz = Get("imgsz") is { } s ? ParseIntList(s) : null;
        int? h = null, w = null;
        if (imgsz is { Length: 1 })
        {
            h = w = imgsz[0];
        }
        else if (imgsz is { Length: >= 2 })
        {
            h = imgsz[0];
            w = imgsz[1];
        }
        return new UltralyticsMetadata(
            names, h, w, ParseInt(Get("stride")), Get("task"), ParseInt(Get("batch")),
            Get("end2end") is { } e ? string.Equals(e, "True", StringComparison.OrdinalIgnoreCase) : null,
            Get("author"));
    }

    /// <summary>Parses a Python dict literal of int keys to quoted strings. Keys must be 0..n-1; anything else gives null
    /// (the caller then falls back to the manifest).</summary>
    public static IReadOnlyList<string>? ParseNames(string literal)
    {
        var map = new SortedDictionary<int, string>();
        int i = 0;
        string s = literal;
        void SkipWs()
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }
        }
        SkipWs();
        if (i >= s.Length || s[i] != '{')
        {
            return null;
        }
        i++;
        while (true)
        {
            SkipWs();
            if (i < s.Length && s[i] == '}')
            {
                break;
            }
            int start = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '-'))
            {
                i++;
            }
            if (!int.TryParse(s.AsSpan(start, i - start), NumberStyles.Integer, CultureInfo.InvariantCulture, out int key))
            {
                return null;
            }
            SkipWs();
            if (i >= s.Length || s[i] != ':')
            {
                return null;
            }
            i++;
            SkipWs();
            if (i >= s.Length || (s[i] != '\'' && s[i] != '"'))
            {
                return null;
            }
            char quote = s[i++];
            var sb = new StringBuilder();
            while (i < s.Length && s[i] != quote)
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                {
                    i++;
                }
                sb.Append(s[i++]);
            }
            if (i >= s.Length)
            {
                return null;
            }
            i++;
            map[key] = sb.ToString();
            SkipWs();
            if (i < s.Length && s[i] == ',')
            {
                i++;
            }
        }
        if (map.Count == 0)
        {
            return null;
        }
        int expected = 0;
        foreach (int k in map.Keys)
        {
            if (k != expected++)
            {
                return null;
            }
        }
        return [.. map.Values];
    }

    private static int[]? ParseIntList(string s)
    {
        string[] parts = s.Trim('[', ']', '(', ')', ' ').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            if (!int.TryParse(parts[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[k]))
            {
                return null;
            }
        }
        return result.Length == 0 ? null : result;
    }

    private static int? ParseInt(string? s) =>
        s is not null && int.TryParse(s.Trim('[', ']', ' '), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
}
