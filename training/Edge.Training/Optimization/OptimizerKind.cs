namespace Edge.Training.Optimization;

public enum OptimizerKind
{
    /// <summary>SGD with momentum and L2 weight decay, as torch.optim.SGD.</summary>
    Sgd,
    /// <summary>Adam (Kingma and Ba, arXiv 1412.6980), as torch.optim.Adam.</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter, arXiv 1711.05101), as torch.optim.AdamW.</summary>
    AdamW,
}
