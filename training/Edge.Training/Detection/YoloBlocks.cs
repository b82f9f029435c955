using Edge.Training.Native;
using Edge.Training.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Detection;

/// <summary>Ultralytics Conv: Conv2d(k, s, pad k/2, no bias) → BatchNorm2d (<see cref="HeldBatchNorm2d"/>) → SiLU. The
/// fused variant has a biased conv and no BN (how exported ONNX files store it: BN already folded), so ONNX weights can
/// be imported one to one.</summary>
public sealed class ConvBnSilu : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv2d conv;
    private readonly HeldBatchNorm2d? bn;

    public ConvBnSilu(int c1, int c2, int k = 1, int s = 1, bool fused = false) : base("Conv")
    {
        conv = nn.Conv2d(c1, c2, k, stride: s, padding: k / 2, bias: fused);
        bn = fused ? null : new HeldBatchNorm2d(c2, eps: 1e-3, momentum: 0.03);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var y = conv.forward(x);
        if (bn is null)
        {
            return nn.functional.silu(y);
        }
        using var z = bn.forward(y);
        return nn.functional.silu(z);
    }

    public string ExportOnnx(OnnxModuleExporter exporter, string input, string scope) =>
        exporter.Silu(exporter.Conv(conv, bn, input, OnnxModuleExporter.Scope(scope, "conv")));
}

/// <summary>Bottleneck: two 3x3 Convs, residual add when shapes allow (YOLOv8 C2f inner block).</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ConvBnSilu cv1;
    private readonly ConvBnSilu cv2;
    private readonly bool _add;

    public Bottleneck(int c1, int c2, bool shortcut, bool fused) : base("Bottleneck")
    {
        cv1 = new ConvBnSilu(c1, c2, 3, 1, fused);
        cv2 = new ConvBnSilu(c2, c2, 3, 1, fused);
        _add = shortcut && c1 == c2;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var a = cv1.forward(x);
        var b = cv2.forward(a);
        if (!_add)
        {
            return b;
        }
        using (b)
        {
            return x.add(b, HeldScalars.One); // not x + b: see HeldScalars
        }
    }

    public string ExportOnnx(OnnxModuleExporter exporter, string input, string scope)
    {
        string y = cv2.ExportOnnx(exporter, cv1.ExportOnnx(exporter, input, OnnxModuleExporter.Scope(scope, "cv1")), OnnxModuleExporter.Scope(scope, "cv2"));
        return _add ? exporter.Graph.Node("Add", [input, y]) : y;
    }
}

/// <summary>C2f (YOLOv8): cv1 to 2c channels, split in two, n bottlenecks chained on the second half with every
/// intermediate kept, concat (2+n)c, cv2.</summary>
public sealed class C2f : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ConvBnSilu cv1;
    private readonly ConvBnSilu cv2;
    private readonly ModuleList<Bottleneck> m;
    private readonly int _c;

    public C2f(int c1, int c2, int n, bool shortcut, bool fused) : base("C2f")
    {
        _c = c2 / 2;
        cv1 = new ConvBnSilu(c1, 2 * _c, 1, 1, fused);
        cv2 = new ConvBnSilu((2 + n) * _c, c2, 1, 1, fused);
        m = nn.ModuleList(Enumerable.Range(0, n).Select(_ => new Bottleneck(_c, _c, shortcut, fused)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var parts = cv1.forward(x).chunk(2, 1).ToList();
        foreach (var block in m)
        {
            parts.Add(block.forward(parts[^1]));
        }
        return cv2.forward(cat(parts, 1)).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxModuleExporter exporter, string input, string scope)
    {
        var g = exporter.Graph;
        string y = cv1.ExportOnnx(exporter, input, OnnxModuleExporter.Scope(scope, "cv1"));
        var parts = g.NodeMulti("Split", [y, g.Int64Initializer($"{scope}.split", _c, _c)], 2, OnnxGraphBuilder.Int("axis", 1)).ToList();
        for (int i = 0; i < m.Count; i++)
        {
            parts.Add(m[i].ExportOnnx(exporter, parts[^1], OnnxModuleExporter.Scope(scope, $"m.{i}")));
        }
        string joined = g.Node("Concat", [.. parts], OnnxGraphBuilder.Int("axis", 1));
        return cv2.ExportOnnx(exporter, joined, OnnxModuleExporter.Scope(scope, "cv2"));
    }
}

/// <summary>SPPF (YOLOv5/v8): cv1 halves channels, three chained 5x5 stride-1 max pools, concat the four, cv2.</summary>
public sealed class Sppf : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ConvBnSilu cv1;
    private readonly ConvBnSilu cv2;

    public Sppf(int c1, int c2, bool fused) : base("SPPF")
    {
        cv1 = new ConvBnSilu(c1, c1 / 2, 1, 1, fused);
        cv2 = new ConvBnSilu(c1 / 2 * 4, c2, 1, 1, fused);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y0 = cv1.forward(x);
        var y1 = nn.functional.max_pool2d(y0, 5, 1, 2);
        var y2 = nn.functional.max_pool2d(y1, 5, 1, 2);
        var y3 = nn.functional.max_pool2d(y2, 5, 1, 2);
        return cv2.forward(cat([y0, y1, y2, y3], 1)).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxModuleExporter exporter, string input, string scope)
    {
        string y0 = cv1.ExportOnnx(exporter, input, OnnxModuleExporter.Scope(scope, "cv1"));
        string y1 = exporter.MaxPool([5, 5], [1, 1], [2, 2], y0);
        string y2 = exporter.MaxPool([5, 5], [1, 1], [2, 2], y1);
        string y3 = exporter.MaxPool([5, 5], [1, 1], [2, 2], y2);
        string joined = exporter.Graph.Node("Concat", [y0, y1, y2, y3], OnnxGraphBuilder.Int("axis", 1));
        return cv2.ExportOnnx(exporter, joined, OnnxModuleExporter.Scope(scope, "cv2"));
    }
}
