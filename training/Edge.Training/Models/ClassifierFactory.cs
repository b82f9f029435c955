using static TorchSharp.torch;

namespace Edge.Training.Models;

/// <summary>Builds the network a <see cref="ClassifierSpec"/> names.</summary>
public static class ClassifierFactory
{
    public static nn.Module<Tensor, Tensor> Create(ClassifierSpec spec) => spec.Architecture switch
    {
        ClassifierArchitecture.SmallCnn => new SmallCnn(spec),
        ClassifierArchitecture.ResNet => new ResNetClassifier(spec),
        _ => throw new EdgeException($"unknown classifier architecture {spec.Architecture}"),
    };
}
