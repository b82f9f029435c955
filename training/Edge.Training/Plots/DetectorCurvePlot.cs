using Edge.Training.Detection;
using SkiaSharp;

namespace Edge.Training.Plots;

/// <summary>Detector training curves (PNG): box/cls/dfl losses, and validation mAP50 and mAP50-95 per epoch
/// (epoch 0 is the starting weights when a baseline was evaluated).</summary>
public static class DetectorCurvePlot
{
    public static void Save(IReadOnlyList<DetectorEpochMetrics> history, DetectorEpochMetrics? baseline, string path)
    {
        const int panelW = 480, h = 360;
        using var surface = SKSurface.Create(new SKImageInfo(panelW * 2, h));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var epochs = history.Select(m => (double)m.Epoch).ToArray();
        TrainingCurvePlot.DrawPanel(canvas, new SKRect(0, 0, panelW, h), "train loss", epochs,
        [
            ("box", history.Select(m => m.BoxLoss).ToArray(), SKColors.SteelBlue),
            ("cls", history.Select(m => m.ClassLoss).ToArray(), SKColors.OrangeRed),
            ("dfl", history.Select(m => m.DflLoss).ToArray(), SKColors.SeaGreen),
        ]);
        var withBase = (baseline is null ? history : history.Prepend(baseline)).ToList();
        TrainingCurvePlot.DrawPanel(canvas, new SKRect(panelW, 0, panelW * 2, h), "val mAP", withBase.Select(m => (double)m.Epoch).ToArray(),
        [
            ("mAP50", withBase.Select(m => m.Map50).ToArray(), SKColors.SeaGreen),
            ("mAP50-95", withBase.Select(m => m.Map50To95).ToArray(), SKColors.Purple),
        ]);
        PlotFile.Write(surface, path);
    }
}
