using System.Globalization;
using System.Runtime.CompilerServices;

namespace Edge.Evaluation;

/// <summary>Reads MOTChallenge text files (https://motchallenge.net/instructions/): <c>gt.txt</c> in the 2D MOT 2015
/// and MOT17/MOT20 forms, <c>det.txt</c> and tracker results. Accepts comma or whitespace separators, float ids
/// ("3.0"), CRLF line endings, blank lines and a missing final newline; anything else fails with the file and line.</summary>
public static class MotChallengeReader
{
    private const int MinColumns = 6;

    /// <summary>Reads a MOTChallenge file from disk.</summary>
    public static MotFile ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"MOTChallenge file not found: {path}");
        }
        using var reader = File.OpenText(path);
        return Read(reader, path);
    }

    /// <summary>Reads MOTChallenge rows; <paramref name="source"/> names the input in error messages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    public static MotFile Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<MotRecord>();
        int minColumns = int.MaxValue;
        Span<Range> ranges = stackalloc Range[16];
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty)
            {
                continue;
            }
            int count = Split(text, ranges);
            if (count < MinColumns)
            {
                throw new EdgeException(
                    $"{source}:{lineNumber}: expected at least {MinColumns} comma-separated values (frame,id,x,y,w,h,...), got {count}: '{line}'");
            }
            minColumns = Math.Min(minColumns, count);
            int frame = ParseInteger(text[ranges[0]], source, lineNumber, "frame");
            if (frame < 1)
            {
                throw new EdgeException($"{source}:{lineNumber}: frame numbers are 1-based, got {frame}");
            }
            // Columns 8-9 are class and visibility only in the 9-column MOT16/17/20 ground truth. In the 10-column
            // form (2D MOT 2015 gt, det.txt, results) columns 8-10 are world coordinates x, y, z (often -1).
            bool hasClass = count == 9;
            rows.Add(new MotRecord(
                frame,
                ParseInteger(text[ranges[1]], source, lineNumber, "id"),
                ParseNumber(text[ranges[2]], source, lineNumber, "x"),
                ParseNumber(text[ranges[3]], source, lineNumber, "y"),
                ParseNumber(text[ranges[4]], source, lineNumber, "width"),
                ParseNumber(text[ranges[5]], source, lineNumber, "height"),
                count > 6 ? ParseNumber(text[ranges[6]], source, lineNumber, "confidence") : 1,
                hasClass ? ParseInteger(text[ranges[7]], source, lineNumber, "class") : -1,
                hasClass ? ParseNumber(text[ranges[8]], source, lineNumber, "visibility") : -1));
        }
        return new MotFile(source, rows, rows.Count == 0 ? 0 : minColumns);
    }

    private static int Split(ReadOnlySpan<char> text, Span<Range> ranges)
    {
        int count = text.Split(ranges, ',');
        if (count == 1)
        {
            // Some tools write whitespace-separated files; TrackEval sniffs ',' or ' ' the same way.
            count = text.SplitAny(ranges, " \t", StringSplitOptions.RemoveEmptyEntries);
        }
        return count;
    }

    private static double ParseNumber(ReadOnlySpan<char> token, string source, int lineNumber, string column)
    {
        if (!double.TryParse(token.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new EdgeException($"{source}:{lineNumber}: {column} is not a number: '{token.ToString()}'");
        }
        return value;
    }

    private static int ParseInteger(ReadOnlySpan<char> token, string source, int lineNumber, string column)
    {
        double value = ParseNumber(token, source, lineNumber, column);
        // Ids are often written as floats ("3.0"); a fractional id is a corrupt file, not something to truncate.
        if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
        {
            throw new EdgeException($"{source}:{lineNumber}: {column} must be a whole number, got '{token.ToString()}'");
        }
        return (int)value;
    }
}
