using Edge.Geometry;
using SkiaSharp;

namespace Edge.Training.Data;

/// <summary>One labelled detection image: its file, size, and boxes (pixels, xyxy) with classes.</summary>
public sealed record DetectionSample(string ImagePath, int Width, int Height, IReadOnlyList<BoxF> Boxes, IReadOnlyList<int> Classes);

/// <summary>
/// A YOLO-format split: images/&lt;split&gt;/*.png|jpg and labels/&lt;split&gt;/&lt;stem&gt;.txt ("class cx cy w h",
/// normalised). Samples are sorted by file name, so the order (and every seeded shuffle of it) is reproducible.
/// </summary>
public static class YoloDataset
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    public static IReadOnlyList<DetectionSample> Load(string root, string split)
    {
        string images = Path.Combine(root, "images", split), labels = Path.Combine(root, "labels", split);
        if (!Directory.Exists(images))
        {
            throw new EdgeException($"YOLO dataset: no image folder {images}");
        }
        var samples = new List<DetectionSample>();
        foreach (string file in Directory.EnumerateFiles(images).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal))
        {
            using var codec = SKCodec.Create(file) ?? throw new EdgeException($"{file}: not a readable image");
            int w = codec.Info.Width, h = codec.Info.Height;
            var boxes = YoloLabel.Read(Path.Combine(labels, Path.GetFileNameWithoutExtension(file) + ".txt"), w, h);
            samples.Add(new DetectionSample(file, w, h, boxes.Select(b => b.Box).ToList(), boxes.Select(b => b.ClassId).ToList()));
        }
        if (samples.Count == 0)
        {
            throw new EdgeException($"YOLO dataset: no images in {images}");
        }
        return samples;
    }

    /// <summary>Decodes an image as 8-bit BGR interleaved (what OpenCV and <c>LetterboxPreprocessor</c> take).</summary>
    public static byte[] ReadBgr(string path, out int width, out int height)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new EdgeException($"{path}: not a readable image");
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var source = rgba ?? bitmap;
        (width, height) = (source.Width, source.Height);
        var pixels = source.GetPixelSpan();
        int rowBytes = source.RowBytes;
        var bgr = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int s = (y * rowBytes) + (x * 4), d = ((y * width) + x) * 3;
                bgr[d] = pixels[s + 2];
                bgr[d + 1] = pixels[s + 1];
                bgr[d + 2] = pixels[s];
            }
        }
        return bgr;
    }
}
