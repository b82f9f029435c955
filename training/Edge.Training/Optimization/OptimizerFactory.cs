using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Optimization;

public static class OptimizerFactory
{
    /// <summary>TorchSharp's optimizer of that kind, as <see cref="HeldSgd"/>, <see cref="HeldAdam"/> or
    /// <see cref="HeldAdamW"/>: the same update with every Scalar held until its op returns.</summary>
    public static OptimizerHelper Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay) => kind switch
    {
        OptimizerKind.Sgd => new HeldSgd(parameters, lr, momentum, weightDecay),
        OptimizerKind.Adam => new HeldAdam(parameters, lr, weightDecay),
        OptimizerKind.AdamW => new HeldAdamW(parameters, lr, weightDecay),
        _ => throw new EdgeException($"unknown optimizer {kind}"),
    };

    public static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }
}
