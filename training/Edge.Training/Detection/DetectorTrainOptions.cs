using Edge.Training.Data;
using Edge.Training.Optimization;

namespace Edge.Training.Detection;

/// <summary>Detector fine-tuning settings (defaults follow Ultralytics' for small data sets: AdamW, lr 0.001 cosine
/// to 1 %, weight decay 5e-4, gradient norm clipped at 10).</summary>
public sealed record DetectorTrainOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 8;
    public int ImageSize { get; init; } = 320;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    public double LearningRate { get; init; } = 0.001;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    public double FinalLearningRateFraction { get; init; } = 0.01;
    /// <summary>Linear learning-rate warm-up over this many optimizer steps (0 = none).</summary>
    public int WarmupSteps { get; init; } = 20;
    public DetectionAugmentation Augmentation { get; init; } = new();
    /// <summary>Turn mosaic off for this many final epochs (Ultralytics' close_mosaic).</summary>
    public int CloseMosaic { get; init; }

    /// <summary>Whether mosaic samples are drawn in this (1-based) epoch: on when its probability is positive, except in
    /// the last <see cref="CloseMosaic"/> epochs, so that training ends on images that look like the validation ones.</summary>
    public bool MosaicAt(int epoch) => Augmentation.Mosaic > 0 && epoch <= Epochs - CloseMosaic;
    public int Seed { get; init; }
    public int Threads { get; init; } = 2;
    public string OutputDir { get; init; } = Path.Combine("runs", "detect", "train");
    public bool Resume { get; init; }
    /// <summary>Stop after this many optimizer steps in total (0 = no limit); for smoke tests.</summary>
    public long MaxSteps { get; init; }
    /// <summary>Evaluate the starting weights before the first epoch (the "before" mAP).</summary>
    public bool EvaluateBaseline { get; init; } = true;
}
