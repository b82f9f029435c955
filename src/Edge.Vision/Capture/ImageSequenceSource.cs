using OpenCvSharp;

namespace Edge.Capture;

/// <summary>Frames from still images: one file, or every image of a folder in ordinal file-name order (so
/// 000001.jpg, 000002.jpg, ... as in MOTChallenge img1/ folders). Timestamps are index / fps.</summary>
public sealed class ImageSequenceSource : IFrameSource
{
    /// <summary>Extensions OpenCV's imread decodes in every build.</summary>
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm",
    };

    private readonly string[] _files;
    private int _next;

    private ImageSequenceSource(string name, string[] files, double fps)
    {
        Name = name;
        _files = files;
        Fps = fps;
        using Mat first = Decode(files[0]);
        Width = first.Width;
        Height = first.Height;
    }

    public string Name { get; }

    public int Width { get; }

    public int Height { get; }

    public double Fps { get; }

    public int? FrameCount => _files.Length;

    public bool IsLive => false;

    /// <summary>The files in the order they are read.</summary>
    public IReadOnlyList<string> Files => _files;

    public static ImageSequenceSource OpenImage(string path, double fps = 25)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"cannot open image '{path}': file not found");
        }
        return new ImageSequenceSource(path, [path], fps);
    }

    public static ImageSequenceSource OpenFolder(string folder, double fps = 25)
    {
        if (!Directory.Exists(folder))
        {
            throw new EdgeException($"cannot open image folder '{folder}': directory not found");
        }
        string[] files = Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new EdgeException($"cannot open image folder '{folder}': no images ({string.Join(' ', ImageExtensions.Order())})");
        }
        return new ImageSequenceSource(folder, files, fps);
    }

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        if (_next >= _files.Length)
        {
            stamp = default;
            return false;
        }
        int index = _next++;
        using (Mat decoded = Decode(_files[index]))
        {
            decoded.CopyTo(frame);
        }
        stamp = new FrameStamp(index, index / Fps);
        return true;
    }

    public void Dispose()
    {
    }

    private static Mat Decode(string path)
    {
        Mat image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty())
        {
            image.Dispose();
            throw new EdgeException($"cannot open image '{path}': not an image OpenCV can decode");
        }
        return image;
    }
}
