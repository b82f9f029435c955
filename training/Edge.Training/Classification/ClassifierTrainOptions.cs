using Edge.Training.Optimization;

namespace Edge.Training.Classification;

/// <summary>Hyper-parameters of a classifier run. Defaults train the small CNN on digits.png to ≥ 99% in ~2 minutes.</summary>
public sealed record ClassifierTrainOptions
{
    public int Epochs { get; init; } = 15;
    public int BatchSize { get; init; } = 64;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.05;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>Cosine schedule floor as a fraction of the initial rate (Loshchilov and Hutter, arXiv 1608.03983, no restarts).</summary>
    public double FinalLearningRateFraction { get; init; } = 0.01;
    /// <summary>Stop when validation accuracy has not improved for this many epochs (0: never).</summary>
    public int Patience { get; init; } = 5;
    public int Seed { get; init; }
    public int Threads { get; init; } = 2;
    public int Shift { get; init; } = 2;
    public double FlipLr { get; init; }
    public double Jitter { get; init; } = 0.1;
    /// <summary>Label smoothing ε: the target is (1 − ε)·one-hot + ε/K (Szegedy et al., "Rethinking the Inception
    /// Architecture", arXiv 1512.00567, §7). 0 is plain cross-entropy; validation loss is always unsmoothed.</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Stop after this many optimisation steps in total (0: no limit); for quick tests.</summary>
    public int MaxSteps { get; init; }
    public required string OutputDir { get; init; }
    public bool Resume { get; init; }
}
