using System.Globalization;
using Edge.Capture;

namespace Edge.Recording;

/// <summary>The sidecar of a recording, <c>&lt;video&gt;.frames.csv</c>: a header <c>frame,seconds</c> then one row per
/// recorded frame with the frame's index and capture timestamp in the live run. Replays take both from it, so frame
/// numbers and the follow controller's time steps match what the device saw.</summary>
public static class RecordingTimestamps
{
    public const string Header = "frame,seconds";

    public static string SidecarPath(string videoPath) => videoPath + ".frames.csv";

    /// <summary>Writes <c>index,seconds</c> (microsecond resolution, invariant culture) into <paramref name="destination"/>.</summary>
    public static bool TryFormatRow(FrameStamp stamp, Span<char> destination, out int written) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{stamp.Index},{stamp.Seconds:0.######}", out written);

    /// <summary>Reads a sidecar; a malformed row fails with the file and line.</summary>
    public static IReadOnlyList<FrameStamp> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"recording timestamps not found: {path}");
        }
        var stamps = new List<FrameStamp>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 && line.Trim() == Header)
            {
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string[] parts = line.Split(',');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long index)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                || index < 0 || !double.IsFinite(seconds))
            {
                throw new EdgeException($"{path}:{lineNumber}: expected 'frame,seconds', got '{line}'");
            }
            stamps.Add(new FrameStamp(index, seconds));
        }
        return stamps;
    }
}
