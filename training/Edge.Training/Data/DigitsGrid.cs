using SkiaSharp;

namespace Edge.Training.Data;

/// <summary>
/// OpenCV's digits.png sample: a 2000x1000 grey image holding 50 rows x 100 columns of 20x20 handwritten digits,
/// five rows per digit 0-9 (500 samples per class), as described in /work/shared/data/README.md.
/// </summary>
public static class DigitsGrid
{
    public const int Cell = 20;

    public static ImageSet Load(string path, int rowsPerClass = 5)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"digits grid not found: {path}");
        }
        using var bitmap = SKBitmap.Decode(path) ?? throw new EdgeException($"{path}: not a readable image");
        if (bitmap.Width % Cell != 0 || bitmap.Height % (Cell * rowsPerClass) != 0)
        {
            throw new EdgeException($"{path}: {bitmap.Width}x{bitmap.Height} is not a grid of {Cell}x{Cell} cells with {rowsPerClass} rows per class");
        }
        int cols = bitmap.Width / Cell, rows = bitmap.Height / Cell, classes = rows / rowsPerClass;
        byte[] grey = ToGrey(bitmap);
        var pixels = new float[rows * cols * Cell * Cell];
        var labels = new int[rows * cols];
        int n = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++, n++)
            {
                labels[n] = r / rowsPerClass;
                for (int y = 0; y < Cell; y++)
                {
                    for (int x = 0; x < Cell; x++)
                    {
                        pixels[(n * Cell * Cell) + (y * Cell) + x] = grey[((r * Cell) + y) * bitmap.Width + (c * Cell) + x] / 255f;
                    }
                }
            }
        }
        var names = Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new ImageSet(pixels, labels, 1, Cell, names);
    }

    private static byte[] ToGrey(SKBitmap bitmap)
    {
        var bytes = new byte[bitmap.Width * bitmap.Height];
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                bytes[(y * bitmap.Width) + x] = (byte)(((p.Red * 299) + (p.Green * 587) + (p.Blue * 114)) / 1000);
            }
        }
        return bytes;
    }
}
