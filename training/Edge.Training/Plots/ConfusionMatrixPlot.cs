using System.Globalization;
using SkiaSharp;

namespace Edge.Training.Plots;

/// <summary>Confusion matrix heat map (rows = true class, columns = predicted), each row normalised to its count,
/// with the raw counts printed in the cells (PNG).</summary>
public static class ConfusionMatrixPlot
{
    public static void Save(int[,] confusion, IReadOnlyList<string> names, string path)
    {
        int n = confusion.GetLength(0);
        int cell = Math.Clamp(600 / Math.Max(1, n), 24, 64);
        int margin = 90;
        using var surface = SKSurface.Create(new SKImageInfo(margin + (n * cell) + 20, margin + (n * cell) + 20));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(PlotFile.Typeface, Math.Min(13, cell / 2.2f));
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText("predicted →", margin, 20, SKTextAlign.Left, font, black);
        canvas.DrawText("true ↓", 4, margin - 8, SKTextAlign.Left, font, black);
        for (int r = 0; r < n; r++)
        {
            int rowSum = 0;
            for (int c = 0; c < n; c++)
            {
                rowSum += confusion[r, c];
            }
            canvas.DrawText(Label(names, r), 4, margin + (r * cell) + (cell / 2f) + 4, SKTextAlign.Left, font, black);
            canvas.DrawText(Label(names, r), margin + (r * cell) + 4, margin - 24, SKTextAlign.Left, font, black);
            for (int c = 0; c < n; c++)
            {
                float share = rowSum == 0 ? 0 : (float)confusion[r, c] / rowSum;
                byte shade = (byte)(255 - (share * 200));
                using var fill = new SKPaint { Color = new SKColor(shade, shade, 255) };
                var rect = SKRect.Create(margin + (c * cell), margin + (r * cell), cell - 1, cell - 1);
                canvas.DrawRect(rect, fill);
                if (confusion[r, c] > 0)
                {
                    canvas.DrawText(confusion[r, c].ToString(CultureInfo.InvariantCulture), rect.Left + 3, rect.MidY + 4, SKTextAlign.Left, font, share > 0.5f ? white : black);
                }
            }
        }
        PlotFile.Write(surface, path);
    }

    private static string Label(IReadOnlyList<string> names, int i) => i < names.Count ? names[i][..Math.Min(8, names[i].Length)] : i.ToString(CultureInfo.InvariantCulture);
}
