using System.Globalization;

namespace Edge.Evaluation;

/// <summary>Writes tracker results or detections in the MOTChallenge submission form
/// <c>frame,id,x,y,w,h,conf,-1,-1,-1</c> (invariant culture, shortest round-trip numbers, LF line endings).</summary>
public static class MotChallengeWriter
{
    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/>, creating its folder.</summary>
    public static void WriteFile(string path, IEnumerable<MotRecord> rows)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        using var writer = new StreamWriter(path);
        Write(writer, rows);
    }

    /// <summary>Writes <paramref name="rows"/> one per line.</summary>
    public static void Write(TextWriter writer, IEnumerable<MotRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            WriteRow(writer, row);
        }
    }

    /// <summary>Writes one row; formats into a stack buffer so per-frame writers do not allocate.</summary>
    public static void WriteRow(TextWriter writer, in MotRecord row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> line = stackalloc char[256];
        if (!line.TryWrite(CultureInfo.InvariantCulture,
            $"{row.Frame},{row.Id},{row.X},{row.Y},{row.Width},{row.Height},{row.Confidence},-1,-1,-1\n", out int written))
        {
            throw new InvalidOperationException("A MOTChallenge row does not fit 256 characters.");
        }
        writer.Write(line[..written]);
    }
}
