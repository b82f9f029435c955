using System.Globalization;

namespace Edge.Evaluation;

/// <summary>The <c>[Sequence]</c> section of a MOTChallenge <c>seqinfo.ini</c>.</summary>
/// <param name="Name">Sequence name (<c>name</c>).</param>
/// <param name="Length">Number of frames (<c>seqLength</c>); scoring covers frames 1..Length.</param>
/// <param name="FrameRate">Frames per second (<c>frameRate</c>), 0 when absent.</param>
/// <param name="ImageWidth">Image width (<c>imWidth</c>), 0 when absent.</param>
/// <param name="ImageHeight">Image height (<c>imHeight</c>), 0 when absent.</param>
/// <param name="ImageDirectory">Folder of the frames inside the sequence folder (<c>imDir</c>), <c>img1</c> when absent.</param>
public sealed record SequenceInfo(string Name, int Length, double FrameRate = 0, int ImageWidth = 0, int ImageHeight = 0, string ImageDirectory = "img1")
{
    /// <summary>Reads a <c>seqinfo.ini</c> file.</summary>
    public static SequenceInfo ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"seqinfo.ini not found: {path}");
        }
        using var reader = File.OpenText(path);
        return Read(reader, path);
    }

    /// <summary>Writes the <c>[Sequence]</c> section <see cref="Read"/> reads back (name, image folder, frame rate, length,
    /// image size).</summary>
    public void WriteFile(string path) =>
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
            $"[Sequence]\nname={Name}\nimDir={ImageDirectory}\nframeRate={FrameRate}\nseqLength={Length}\nimWidth={ImageWidth}\nimHeight={ImageHeight}\n"));

    /// <summary>Reads <c>key=value</c> lines; <c>seqLength</c> is required, the rest optional.</summary>
    public static SequenceInfo Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text[0] is '[' or ';' or '#')
            {
                continue;
            }
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new EdgeException($"{source}:{lineNumber}: expected key=value, got '{line}'");
            }
            values[text[..eq].Trim()] = (text[(eq + 1)..].Trim(), lineNumber);
        }

        if (!values.ContainsKey("seqLength"))
        {
            throw new EdgeException($"{source}: missing key 'seqLength'");
        }
        int length = Integer("seqLength");
        if (length < 1)
        {
            throw new EdgeException($"{source}: seqLength must be positive, got {length}");
        }
        string name = values.TryGetValue("name", out var n) ? n.Value : "";
        double fps = 0;
        if (values.TryGetValue("frameRate", out var f) && !double.TryParse(f.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out fps))
        {
            throw new EdgeException($"{source}:{f.Line}: frameRate is not a number: '{f.Value}'");
        }
        return new SequenceInfo(name, length, fps,
            values.ContainsKey("imWidth") ? Integer("imWidth") : 0,
            values.ContainsKey("imHeight") ? Integer("imHeight") : 0,
            values.TryGetValue("imDir", out var dir) && dir.Value.Length > 0 ? dir.Value : "img1");

        int Integer(string key)
        {
            var (value, at) = values[key];
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int result))
            {
                throw new EdgeException($"{source}:{at}: {key} is not an integer: '{value}'");
            }
            return result;
        }
    }
}
