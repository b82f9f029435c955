using Edge.Training.Native;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Edge.Training.Optimization;

// TorchSharp 0.107's SGD, Adam and AdamW steps, op for op, except that every Scalar is held until its op returns:
// TorchSharp's own steps pass weight decay, momentum, 1 − β, ε and −lr as temporary Scalars, which a collection on
// another thread can free mid-call (see HeldScalars). State, options and optimizer.pt files are TorchSharp's (these
// classes only override step); ScalarLifetimeTests checks the updates bit for bit against TorchSharp's.

/// <summary>torch.optim.SGD with held Scalars.</summary>
public sealed class HeldSgd : SGD
{
    public HeldSgd(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay)
        : base(parameters, lr, momentum, weight_decay: weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value, weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        using var decay = weightDecay.ToScalar();
        using var keep = momentum.ToScalar();
        using var blend = (1.0 - options.dampening!.Value).ToScalar();
        using var rate = (options.maximize!.Value ? lr : 0.0 - lr).ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }
            if (weightDecay != 0.0)
            {
                grad = grad.add(parameter, decay);
            }
            if (momentum != 0.0)
            {
                var state = (State)_state[parameter.Handle];
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    buffer.mul_(keep).add_(grad, blend);
                }
                grad = options.nesterov!.Value ? grad.add(buffer, keep) : buffer;
            }
            parameter.add_(grad, rate);
        }
    }, closure);
}

/// <summary>torch.optim.Adam (L2 weight decay added to the gradient) with held Scalars.</summary>
public sealed class HeldAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    : Adam(parameters, lr, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) =>
        _step<ParamGroup>(group => AdamStep.Run(group.Parameters, _state, AdamSettings.Of(group.Options)), closure);
}

/// <summary>torch.optim.AdamW (decoupled weight decay: p ← p·(1 − lr·λ) before the Adam step) with held Scalars.</summary>
public sealed class HeldAdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    : AdamW(parameters, lr, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) =>
        _step<ParamGroup>(group => AdamStep.Run(group.Parameters, _state, AdamSettings.Of(group.Options)), closure);
}

/// <summary>The options of one Adam or AdamW parameter group.</summary>
internal readonly record struct AdamSettings(double Beta1, double Beta2, double Eps, double LearningRate, double WeightDecay, bool Amsgrad, bool Maximize)
{
    public static AdamSettings Of(Adam.Options o) =>
        new(o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.LearningRate!.Value, o.weight_decay!.Value, o.amsgrad!.Value, o.maximize!.Value);

    public static AdamSettings Of(AdamW.Options o) =>
        new(o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.LearningRate!.Value, o.weight_decay!.Value, o.amsgrad!.Value, o.maximize!.Value);
}

/// <summary>The Adam step (Kingma and Ba, arXiv 1412.6980, Algorithm 1) shared by <see cref="HeldAdam"/> and
/// <see cref="HeldAdamW"/>; the kind of each parameter's state says which weight decay applies.</summary>
internal static class AdamStep
{
    public static void Run(IEnumerable<Parameter> parameters, OrderedDict<nint, OptimizerState> states, AdamSettings s)
    {
        using var decay = s.WeightDecay.ToScalar();
        using var shrink = (1.0 - (s.LearningRate * s.WeightDecay)).ToScalar();
        using var b1 = s.Beta1.ToScalar();
        using var oneMinusB1 = (1.0 - s.Beta1).ToScalar();
        using var b2 = s.Beta2.ToScalar();
        using var oneMinusB2 = (1.0 - s.Beta2).ToScalar();
        using var epsilon = s.Eps.ToScalar();
        foreach (var parameter in parameters)
        {
            if (parameter.grad is not { } grad)
            {
                continue;
            }
            grad = s.Maximize ? -grad : grad;
            switch (states[parameter.Handle])
            {
                case Adam.State adam: // L2: λ·p is added to the gradient
                    adam.step++;
                    grad = s.WeightDecay != 0.0 ? grad.add(parameter, decay) : grad;
                    adam.max_exp_avg_sq = Moments(parameter, grad, adam.step, adam.exp_avg, adam.exp_avg_sq, adam.max_exp_avg_sq);
                    break;
                case AdamW.State adamW: // decoupled: p ← p·(1 − lr·λ) first
                    adamW.step++;
                    parameter.mul_(shrink);
                    adamW.max_exp_avg_sq = Moments(parameter, grad, adamW.step, adamW.exp_avg, adamW.exp_avg_sq, adamW.max_exp_avg_sq);
                    break;
            }
        }

        // m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g² (AMSGrad: v̂ ← max(v̂, v)), then
        // p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε). Returns the AMSGrad maximum (replaced, not updated in place).
        Tensor? Moments(Parameter parameter, Tensor grad, long step, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
        {
            double bias1 = 1.0 - Math.Pow(s.Beta1, step), bias2 = 1.0 - Math.Pow(s.Beta2, step);
            using var sqrtBias2 = Math.Sqrt(bias2).ToScalar();
            using var stepSize = (0.0 - (s.LearningRate / bias1)).ToScalar();
            expAvg.mul_(b1).add_(grad, oneMinusB1);
            expAvgSq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
            var second = expAvgSq;
            if (s.Amsgrad)
            {
                second = maximum(maxExpAvgSq!, expAvgSq).DetachFromDisposeScope();
                maxExpAvgSq!.Dispose();
                maxExpAvgSq = second;
            }
            var denominator = second.sqrt().div(sqrtBias2).add_(epsilon, HeldScalars.One);
            parameter.addcdiv_(expAvg, denominator, stepSize);
            return maxExpAvgSq;
        }
    }
}
