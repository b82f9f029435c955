namespace Edge.Training.Models;

/// <summary>Classifier architectures `edge-train classify --model` accepts.</summary>
public enum ClassifierArchitecture
{
    /// <summary>[Conv3x3-ReLU-MaxPool]x2 → Linear-ReLU → Linear (the classic MNIST-sized CNN).</summary>
    SmallCnn,
    /// <summary>ResNet-style: BN stem, basic residual blocks (He et al., arXiv 1512.03385), global pool, dropout, linear.</summary>
    ResNet,
}

/// <summary>Everything needed to rebuild a classifier: saved beside its weights in checkpoints.</summary>
public sealed record ClassifierSpec(ClassifierArchitecture Architecture, int Channels, int ImageSize, IReadOnlyList<string> ClassNames, int Width = 32, double Dropout = 0.2)
{
    public int NumClasses => ClassNames.Count;
}
