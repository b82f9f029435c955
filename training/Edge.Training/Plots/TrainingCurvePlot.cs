using System.Globalization;
using Edge.Training.Optimization;
using SkiaSharp;

namespace Edge.Training.Plots;

/// <summary>Two panels side by side: train/val loss, and validation accuracy, per epoch (PNG).</summary>
public static class TrainingCurvePlot
{
    public static void Save(IReadOnlyList<EpochMetrics> history, string path)
    {
        const int panelW = 480, h = 360;
        using var surface = SKSurface.Create(new SKImageInfo(panelW * 2, h));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var epochs = history.Select(m => (double)m.Epoch).ToArray();
        DrawPanel(canvas, new SKRect(0, 0, panelW, h), "loss", epochs,
            [("train", history.Select(m => m.TrainLoss).ToArray(), SKColors.SteelBlue), ("val", history.Select(m => m.ValLoss).ToArray(), SKColors.OrangeRed)]);
        DrawPanel(canvas, new SKRect(panelW, 0, panelW * 2, h), "val accuracy", epochs,
            [("val", history.Select(m => m.ValAccuracy).ToArray(), SKColors.SeaGreen)]);
        PlotFile.Write(surface, path);
    }

    /// <summary>One line chart with axes, min/max tick labels and a legend.</summary>
    public static void DrawPanel(SKCanvas canvas, SKRect area, string title, double[] x, (string Name, double[] Y, SKColor Color)[] series)
    {
        using var font = new SKFont(PlotFile.Typeface, 13);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        var plot = new SKRect(area.Left + 60, area.Top + 30, area.Right - 20, area.Bottom - 40);
        canvas.DrawText(title, area.Left + 60, area.Top + 20, SKTextAlign.Left, font, text);
        canvas.DrawRect(plot, axis);
        if (x.Length == 0)
        {
            return;
        }
        double xMin = x.Min(), xMax = Math.Max(x.Max(), xMin + 1);
        var all = series.SelectMany(s => s.Y).Where(double.IsFinite).ToArray();
        double yMin = all.Length > 0 ? all.Min() : 0, yMax = all.Length > 0 ? all.Max() : 1;
        if (yMax - yMin < 1e-9)
        {
            yMax = yMin + 1;
        }
        float Px(double v) => plot.Left + (float)((v - xMin) / (xMax - xMin) * plot.Width);
        float Py(double v) => plot.Bottom - (float)((v - yMin) / (yMax - yMin) * plot.Height);
        canvas.DrawText(yMax.ToString("G4", CultureInfo.InvariantCulture), area.Left + 4, plot.Top + 5, SKTextAlign.Left, font, text);
        canvas.DrawText(yMin.ToString("G4", CultureInfo.InvariantCulture), area.Left + 4, plot.Bottom, SKTextAlign.Left, font, text);
        canvas.DrawText($"epoch {xMin:0}", plot.Left, plot.Bottom + 18, SKTextAlign.Left, font, text);
        canvas.DrawText($"{xMax:0}", plot.Right - 16, plot.Bottom + 18, SKTextAlign.Left, font, text);
        for (int s = 0; s < series.Length; s++)
        {
            using var line = new SKPaint { Color = series[s].Color, StrokeWidth = 2, Style = SKPaintStyle.Stroke, IsAntialias = true };
            for (int i = 0; i < x.Length; i++)
            {
                var p = new SKPoint(Px(x[i]), Py(series[s].Y[i]));
                if (i > 0)
                {
                    canvas.DrawLine(new SKPoint(Px(x[i - 1]), Py(series[s].Y[i - 1])), p, line);
                }
                canvas.DrawCircle(p, 2.5f, line);
            }
            using var legend = new SKPaint { Color = series[s].Color, IsAntialias = true };
            canvas.DrawText(series[s].Name, plot.Right - 60, plot.Top + 18 + (16 * s), SKTextAlign.Left, font, legend);
        }
    }
}
