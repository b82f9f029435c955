using SkiaSharp;

namespace Edge.Training.Data;

/// <summary>Image-folder classification data: one sub-folder per class (sorted by name = class index), every
/// PNG/JPEG/BMP/WebP inside resized (stretched, bilinear) to size x size, grey (1 channel) or RGB (3).</summary>
public static class ImageFolder
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    public static ImageSet Load(string root, int size, int channels)
    {
        if (!Directory.Exists(root))
        {
            throw new EdgeException($"image folder not found: {root}");
        }
        if (channels is not (1 or 3))
        {
            throw new EdgeException($"channels must be 1 or 3, got {channels}");
        }
        var classDirs = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classDirs.Length < 2)
        {
            throw new EdgeException($"{root}: need at least two class sub-folders, found {classDirs.Length}");
        }
        var pixels = new List<float>();
        var labels = new List<int>();
        using var resized = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int c = 0; c < classDirs.Length; c++)
        {
            var files = Directory.EnumerateFiles(classDirs[c])
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new EdgeException($"{classDirs[c]}: no images");
            }
            foreach (string file in files)
            {
                using var bitmap = SKBitmap.Decode(file) ?? throw new EdgeException($"{file}: not a readable image");
                using (var canvas = new SKCanvas(resized))
                {
                    canvas.Clear(SKColors.Black);
                    using var image = SKImage.FromBitmap(bitmap);
                    canvas.DrawImage(image, new SKRect(0, 0, size, size), new SKSamplingOptions(SKFilterMode.Linear));
                }
                var plane = new float[channels * size * size];
                for (int y = 0; y < size; y++)
                {
                    for (int x = 0; x < size; x++)
                    {
                        var p = resized.GetPixel(x, y);
                        int i = (y * size) + x;
                        if (channels == 1)
                        {
                            plane[i] = ((0.299f * p.Red) + (0.587f * p.Green) + (0.114f * p.Blue)) / 255f;
                        }
                        else
                        {
                            plane[i] = p.Red / 255f;
                            plane[(size * size) + i] = p.Green / 255f;
                            plane[(2 * size * size) + i] = p.Blue / 255f;
                        }
                    }
                }
                pixels.AddRange(plane);
                labels.Add(c);
            }
        }
        return new ImageSet([.. pixels], [.. labels], channels, size, classDirs.Select(Path.GetFileName).ToArray()!);
    }
}
