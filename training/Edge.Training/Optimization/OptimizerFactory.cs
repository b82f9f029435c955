using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Optimization;

public static class OptimizerFactory
{
    public static OptimizerHelper Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay) => kind switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, lr, momentum: momentum, weight_decay: weightDecay),
        OptimizerKind.Adam => optim.Adam(parameters, lr, weight_decay: weightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, lr, weight_decay: weightDecay),
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
