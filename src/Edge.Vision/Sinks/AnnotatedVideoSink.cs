using Edge.Pipeline;
using Edge.Rendering;
using OpenCvSharp;

namespace Edge.Sinks;

/// <summary>Draws the overlay on each frame and encodes it with OpenCV's <see cref="VideoWriter"/>: MPEG-4 Part 2
/// (<c>mp4v</c>) into .mp4, Motion-JPEG (<c>MJPG</c>) into .avi, at the source frame rate. The writer opens on the first
/// frame, when the size is known.</summary>
public sealed class AnnotatedVideoSink : IFrameSink
{
    private readonly OverlayRenderer _renderer;
    private readonly bool _ownsRenderer;
    private readonly FourCC _fourcc;
    private VideoWriter? _writer;
    private bool _completed;

    public AnnotatedVideoSink(string path, double fps, OverlayRenderer renderer, bool ownsRenderer = true)
    {
        Path = path;
        Fps = fps > 0 ? fps : 25;
        _renderer = renderer;
        _ownsRenderer = ownsRenderer;
        _fourcc = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp4" or ".m4v" or ".mov" => FourCC.FromString("mp4v"),
            ".avi" => FourCC.FromString("MJPG"),
            var ext => throw new EdgeException($"cannot write video '{path}': unsupported extension '{ext}' (use .mp4 or .avi)"),
        };
    }

    public string Path { get; }

    public double Fps { get; }

    public long FramesWritten { get; private set; }

    public void OnFrame(FrameResult result, Mat frame)
    {
        if (_writer is null)
        {
            Open(frame.Size());
        }
        _renderer.Render(frame, result);
        _writer!.Write(frame);
        FramesWritten++;
    }

    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _writer?.Release();
        _writer?.Dispose();
        _writer = null;
    }

    public void Dispose()
    {
        Complete();
        if (_ownsRenderer)
        {
            _renderer.Dispose();
        }
    }

    private void Open(Size size)
    {
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        var writer = new VideoWriter(Path, _fourcc, Fps, size);
        if (!writer.IsOpened())
        {
            writer.Dispose();
            throw new EdgeException($"cannot write video '{Path}': OpenCV could not open a {_fourcc} writer for it");
        }
        _writer = writer;
    }
}
