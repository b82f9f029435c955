using System.Globalization;
using Edge.Interop;
using Edge.Pipeline;
using Edge.Rendering;
using OpenCvSharp;

namespace Edge.Sinks;

/// <summary>Draws the overlay on each frame and encodes it with OpenCV's <see cref="VideoWriter"/>: MPEG-4 Part 2
/// (<c>mp4v</c>) into .mp4, Motion-JPEG (<c>MJPG</c>) into .avi, at the source frame rate. The writer opens on the first
/// frame, when the size is known. With <see cref="VideoSegmentOptions"/> the output rolls over into numbered,
/// time-stamped segments and only the newest are kept.</summary>
public sealed class AnnotatedVideoSink : IFrameSink
{
    private readonly OverlayRenderer _renderer;
    private readonly bool _ownsRenderer;
    private readonly FourCC _fourcc;
    private readonly string _codec; // the four characters of _fourcc, for messages (FourCC has no ToString)
    private readonly VideoSegmentOptions? _segments;
    private readonly Queue<string> _kept = new();
    private VideoWriter? _writer;
    private double _segmentStart;
    private bool _completed;

    public AnnotatedVideoSink(string path, double fps, OverlayRenderer renderer, bool ownsRenderer = true, VideoSegmentOptions? segments = null)
    {
        segments?.Validate();
        _segments = segments;
        Path = path;
        Fps = fps > 0 ? fps : 25;
        _renderer = renderer;
        _ownsRenderer = ownsRenderer;
        _codec = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp4" or ".m4v" or ".mov" => "mp4v",
            ".avi" => "MJPG",
            var ext => throw new EdgeException($"cannot write video '{path}': unsupported extension '{ext}' (use .mp4 or .avi)"),
        };
        _fourcc = FourCC.FromString(_codec);
    }

    public string Path { get; }

    public double Fps { get; }

    public long FramesWritten { get; private set; }

    /// <summary>Segments opened so far (1 without segmenting once a frame was written).</summary>
    public int SegmentsWritten { get; private set; }

    /// <summary>The files on disk, oldest first: the newest <see cref="VideoSegmentOptions.Keep"/> segments, or
    /// <see cref="Path"/> alone without segmenting.</summary>
    public IReadOnlyCollection<string> Files => _kept;

    public void OnFrame(FrameResult result, Mat frame)
    {
        if (_writer is not null && _segments is not null && result.Seconds - _segmentStart >= _segments.Length.TotalSeconds)
        {
            CloseWriter();
        }
        if (_writer is null)
        {
            _segmentStart = result.Seconds;
            Open(frame.Size());
        }
        _renderer.Render(frame, result);
        NativeCv2.Write(_writer!, frame);
        FramesWritten++;
    }

    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        CloseWriter();
    }

    public void Dispose()
    {
        Complete();
        if (_ownsRenderer)
        {
            _renderer.Dispose();
        }
    }

    /// <summary>The file name of segment <paramref name="index"/> opened at <paramref name="utc"/>.</summary>
    public static string SegmentPath(string path, int index, DateTimeOffset utc)
    {
        string stem = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "", System.IO.Path.GetFileNameWithoutExtension(path));
        return string.Create(CultureInfo.InvariantCulture, $"{stem}_{index:D5}_{utc.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}{System.IO.Path.GetExtension(path)}");
    }

    private void Open(Size size)
    {
        string path = _segments is null ? Path : SegmentPath(Path, SegmentsWritten, _segments.Time.GetUtcNow());
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        var writer = new VideoWriter(path, _fourcc, Fps, size);
        if (!writer.IsOpened())
        {
            writer.Dispose();
            throw new EdgeException($"cannot write video '{path}': OpenCV could not open a {_codec} writer for it");
        }
        _writer = writer;
        SegmentsWritten++;
        _kept.Enqueue(path);
        while (_segments?.Keep is int keep && _kept.Count > keep)
        {
            File.Delete(_kept.Dequeue());
        }
    }

    private void CloseWriter()
    {
        _writer?.Release();
        _writer?.Dispose();
        _writer = null;
    }
}
