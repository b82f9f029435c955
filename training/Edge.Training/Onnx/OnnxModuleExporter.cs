using Edge.Training.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNormLayer = TorchSharp.Modules.BatchNorm;

namespace Edge.Training.Onnx;

/// <summary>
/// Serialises TorchSharp modules to ONNX nodes (TorchSharp has no tracer, so the graph follows the module tree):
/// Sequential chains, Conv2d (+ following BatchNorm2d, TorchSharp's or <see cref="HeldBatchNorm2d"/>, folded into
/// it), Linear (Gemm), ReLU, SiLU, MaxPool2d, AdaptiveAvgPool2d(1) (GlobalAveragePool), Flatten, Upsample (nearest),
/// Identity and Dropout (inference no-ops), plus any module implementing <see cref="IOnnxExportable"/>.
/// </summary>
public sealed class OnnxModuleExporter(OnnxGraphBuilder graph)
{
    public OnnxGraphBuilder Graph { get; } = graph;

    /// <summary>Exports <paramref name="module"/> applied to <paramref name="input"/>; returns the output name.</summary>
    public string Export(nn.Module module, string input, string scope)
    {
        switch (module)
        {
            case IOnnxExportable custom:
                return custom.ExportOnnx(this, input, scope);
            case Sequential seq:
                return ExportChain(seq.named_children().ToList(), input, scope);
            case Conv2d conv:
                return Conv(conv, null, input, scope);
            case BatchNormLayer bn:
                return BatchNorm(bn, input, scope);
            case Linear linear:
                return Gemm(linear, input, scope);
            case ReLU:
                return Graph.Node("Relu", [input]);
            case SiLU:
                return Silu(input);
            case MaxPool2d pool:
                return MaxPool(pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? [0, 0], input);
            case AdaptiveAvgPool2d:
                return Graph.Node("GlobalAveragePool", [input]);
            case Flatten flatten when flatten.start_dim == 1 && flatten.end_dim == -1:
                return Graph.Node("Flatten", [input], OnnxGraphBuilder.Int("axis", 1));
            case Dropout or Dropout2d or Identity:
                return input;
            default:
                throw new EdgeException($"ONNX export: module '{scope}' of type {module.GetType().Name} is not supported");
        }
    }

    /// <summary>Exports children in order, folding each Conv2d directly followed by a BatchNorm2d into one Conv.</summary>
    public string ExportChain(IReadOnlyList<(string Name, nn.Module Module)> children, string input, string scope)
    {
        string x = input;
        for (int i = 0; i < children.Count; i++)
        {
            var (name, module) = children[i];
            string childScope = Scope(scope, name);
            if (module is Conv2d conv && i + 1 < children.Count && children[i + 1].Module is BatchNormLayer bn)
            {
                x = Conv(conv, bn, x, childScope);
                i++;
                continue;
            }
            x = Export(module, x, childScope);
        }
        return x;
    }

    /// <summary>Conv with optional BatchNorm folded in: W' = W·γ/√(σ²+ε), b' = (b−μ)·γ/√(σ²+ε) + β (eval statistics).</summary>
    public string Conv(Conv2d conv, BatchNormLayer? bn, string input, string scope)
    {
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null)
        {
            throw new EdgeException($"ONNX export: conv '{scope}' uses padding mode {conv.padding_mode}/{conv.padding_type}; only explicit zero padding is supported");
        }
        using var _ = no_grad();
        long outC = conv.out_channels;
        using var w = conv.weight!.detach().to(float32).cpu();
        Tensor b = conv.bias is { } cb ? cb.detach().to(float32).cpu() : zeros(outC);
        Tensor wf = w.alias();
        if (bn is not null)
        {
            using var scale = BatchNormScale(bn);
            using var mean = bn.running_mean!.detach().to(float32).cpu();
            using var beta = bn.bias is { } bb ? bb.detach().to(float32).cpu() : zeros(outC);
            wf = w * scale.view(-1, 1, 1, 1);
            var folded = ((b - mean) * scale).add(beta, HeldScalars.One); // not +: see HeldScalars
            b.Dispose();
            b = folded;
        }
        string wName = Graph.Initializer(Scope(scope, "weight"), Floats(wf), wf.shape);
        string bName = Graph.Initializer(Scope(scope, "bias"), Floats(b), outC);
        wf.Dispose();
        b.Dispose();
        long[] k = conv.kernel_size;
        long[] p = conv.padding ?? [0, 0];
        return Graph.Node("Conv", [input, wName, bName],
            OnnxGraphBuilder.Ints("kernel_shape", k),
            OnnxGraphBuilder.Ints("strides", conv.stride),
            OnnxGraphBuilder.Ints("pads", p[0], p[1], p[0], p[1]),
            OnnxGraphBuilder.Ints("dilations", conv.dilation ?? [1, 1]),
            OnnxGraphBuilder.Int("group", conv.groups));
    }

    /// <summary>Stand-alone BatchNorm2d as y = x·s + t (s = γ/√(σ²+ε), t = β − μ·s).</summary>
    public string BatchNorm(BatchNormLayer bn, string input, string scope)
    {
        using var _ = no_grad();
        using var scale = BatchNormScale(bn);
        using var mean = bn.running_mean!.detach().to(float32).cpu();
        using var beta = bn.bias is { } bb ? bb.detach().to(float32).cpu() : zeros(bn.num_features);
        using var shift = beta - (mean * scale);
        long c = bn.num_features;
        string s = Graph.Initializer(Scope(scope, "scale"), Floats(scale), c, 1, 1);
        string t = Graph.Initializer(Scope(scope, "shift"), Floats(shift), c, 1, 1);
        return Graph.Node("Add", [Graph.Node("Mul", [input, s]), t]);
    }

    /// <summary>Linear as Gemm(x, W, b, transB=1), the form ONNX exporters use for nn.Linear.</summary>
    public string Gemm(Linear linear, string input, string scope)
    {
        using var _ = no_grad();
        using var w = linear.weight!.detach().to(float32).cpu();
        using var b = linear.bias is { } lb ? lb.detach().to(float32).cpu() : zeros(linear.out_features);
        string wName = Graph.Initializer(Scope(scope, "weight"), Floats(w), w.shape);
        string bName = Graph.Initializer(Scope(scope, "bias"), Floats(b), linear.out_features);
        return Graph.Node("Gemm", [input, wName, bName], OnnxGraphBuilder.Int("transB", 1));
    }

    /// <summary>SiLU(x) = x·σ(x) (opset 17 has no SiLU op; Ultralytics exports the same pair).</summary>
    public string Silu(string input) => Graph.Node("Mul", [input, Graph.Node("Sigmoid", [input])]);

    public string MaxPool(long[] kernel, long[] stride, long[] padding, string input)
    {
        long ph = padding[0], pw = padding.Length > 1 ? padding[1] : padding[0];
        long[] k = kernel.Length == 1 ? [kernel[0], kernel[0]] : kernel;
        long[] s = stride.Length == 1 ? [stride[0], stride[0]] : stride;
        return Graph.Node("MaxPool", [input],
            OnnxGraphBuilder.Ints("kernel_shape", k),
            OnnxGraphBuilder.Ints("strides", s),
            OnnxGraphBuilder.Ints("pads", ph, pw, ph, pw));
    }

    public static string Scope(string scope, string name) => scope.Length == 0 ? name : $"{scope}.{name}";

    public static float[] Floats(Tensor t)
    {
        using var c = t.detach().to(float32).cpu().contiguous();
        return c.data<float>().ToArray();
    }

    private static Tensor BatchNormScale(BatchNormLayer bn)
    {
        using var var = bn.running_var!.detach().to(float32).cpu();
        using var gamma = bn.weight is { } g ? g.detach().to(float32).cpu() : ones(bn.num_features);
        using var eps = bn.eps.ToScalar();
        using var shifted = var.add(eps, HeldScalars.One);
        using var std = shifted.sqrt();
        return gamma / std;
    }
}
