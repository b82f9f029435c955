using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Native;

/// <summary>
/// <c>nn.BatchNorm2d</c> with TorchSharp 0.107's forward, except for the training-mode count update: TorchSharp's
/// <c>num_batches_tracked.add_(1)</c> makes two temporary Scalars, which a collection on another thread can free
/// mid-call (see <see cref="HeldScalars"/>); this one passes held ones. Same parameters, buffers and state_dict names as
/// <c>nn.BatchNorm2d</c> (weight, bias, running_mean, running_var, num_batches_tracked), so checkpoints load either way.
/// </summary>
public sealed class HeldBatchNorm2d : BatchNorm
{
    /// <summary>As <c>nn.BatchNorm2d(numFeatures, eps, momentum)</c>.</summary>
    public HeldBatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1)
        : base(numFeatures, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
    {
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } count)
        {
            count.add_(HeldScalars.One, HeldScalars.One);
            factor = momentum ?? (1.0 / count.item<long>());
        }
        bool batchStatistics = training || (running_mean is null && running_var is null);
        bool useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias, batchStatistics, factor, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4)
        {
            throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.");
        }
    }
}
