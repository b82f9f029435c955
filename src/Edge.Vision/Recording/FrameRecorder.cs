using Edge.Capture;
using Edge.Interop;
using Edge.Pipeline;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Recording;

/// <summary>Records the frames the pipeline actually processed, before anything is drawn on them, so a field
/// incident can be replayed as a regression case (<c>edge regress --source recording.avi</c>): the pixels go to a
/// lossless FFV1 video (.avi or .mkv; MJPG at quality 100 when the OpenCV build has no FFV1 encoder), the frame
/// indices and capture timestamps to <see cref="RecordingTimestamps.SidecarPath"/>. Register it as the first sink:
/// sinks run in order and later ones may draw on the frame.</summary>
public sealed class FrameRecorder : IFrameSink
{
    private readonly StreamWriter _timestamps;
    private VideoWriter? _writer;
    private bool _completed;

    /// <summary>Whether <paramref name="path"/> has an extension the recorder writes (.avi or .mkv), for option
    /// validation before a run starts.</summary>
    public static bool AcceptsPath(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() is ".avi" or ".mkv";

    public FrameRecorder(string path, double fps)
    {
        if (!AcceptsPath(path))
        {
            throw new EdgeException($"cannot record to '{path}': use a .avi or .mkv file (FFV1 lossless)");
        }
        Path = path;
        Fps = fps > 0 ? fps : 25;
        try
        {
            string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
            _timestamps = new StreamWriter(RecordingTimestamps.SidecarPath(path), append: false);
            _timestamps.WriteLine(RecordingTimestamps.Header);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException($"cannot record to '{path}': {ex.Message}", ex);
        }
    }

    public string Path { get; }

    public double Fps { get; }

    /// <summary>FFV1 or MJPG once the first frame has opened the writer.</summary>
    public string? Codec { get; private set; }

    public long FramesWritten { get; private set; }

    public void OnFrame(FrameResult result, Mat frame)
    {
        if (_writer is null)
        {
            Open(frame.Size());
        }
        NativeCv2.Write(_writer!, frame);
        // Formatted into a stack buffer: recording runs every frame of a live service and should not allocate.
        Span<char> row = stackalloc char[64];
        if (!RecordingTimestamps.TryFormatRow(new FrameStamp(result.FrameIndex, result.Seconds), row, out int written))
        {
            throw new InvalidOperationException("timestamp row does not fit 64 characters");
        }
        _timestamps.WriteLine(row[..written]);
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
        _timestamps.Flush();
        _timestamps.Dispose();
    }

    public void Dispose() => Complete();

    private void Open(Size size)
    {
        foreach (string codec in new[] { "FFV1", "MJPG" })
        {
            var writer = new VideoWriter(Path, FourCC.FromString(codec), Fps, size);
            if (writer.IsOpened())
            {
                if (codec == "MJPG")
                {
                    writer.Set(VideoWriterProperties.Quality, 100);
                }
                _writer = writer;
                Codec = codec;
                return;
            }
            writer.Dispose();
        }
        throw new EdgeException($"cannot record to '{Path}': OpenCV could not open an FFV1 or MJPG writer for it");
    }
}
