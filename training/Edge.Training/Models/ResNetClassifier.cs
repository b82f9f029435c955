using Edge.Training.Native;
using Edge.Training.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Models;

/// <summary>Basic residual block (He et al. 2015, arXiv 1512.03385): Conv-BN-ReLU-Conv-BN plus shortcut, then ReLU.
/// The shortcut is a 1x1 Conv-BN when the stride or width changes.</summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential main;
    private readonly Sequential shortcut;

    public ResidualBlock(string name, int inC, int outC, int stride) : base(name)
    {
        main = nn.Sequential(
            ("conv1", nn.Conv2d(inC, outC, 3, stride: stride, padding: 1, bias: false)),
            ("bn1", new HeldBatchNorm2d(outC)),
            ("relu", nn.ReLU()),
            ("conv2", nn.Conv2d(outC, outC, 3, padding: 1, bias: false)),
            ("bn2", new HeldBatchNorm2d(outC)));
        shortcut = stride != 1 || inC != outC
            ? nn.Sequential(("conv", nn.Conv2d(inC, outC, 1, stride: stride, bias: false)), ("bn", new HeldBatchNorm2d(outC)))
            : nn.Sequential();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = main.forward(input).add(shortcut.Count == 0 ? input : shortcut.forward(input), HeldScalars.One); // not +: see HeldScalars
        return nn.functional.relu(y).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxModuleExporter exporter, string input, string scope)
    {
        string y = exporter.Export(main, input, OnnxModuleExporter.Scope(scope, "main"));
        string s = shortcut.Count == 0 ? input : exporter.Export(shortcut, input, OnnxModuleExporter.Scope(scope, "shortcut"));
        return exporter.Graph.Node("Relu", [exporter.Graph.Node("Add", [y, s])]);
    }
}

/// <summary>Small ResNet for thumbnails: stem Conv-BN-ReLU, three stages of two residual blocks (widths w, 2w, 4w;
/// the last two downsample by 2), global average pool, dropout, linear.</summary>
public sealed class ResNetClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    public ResNetClassifier(ClassifierSpec spec) : base(nameof(ResNetClassifier))
    {
        int w = spec.Width;
        _layers = nn.Sequential(
            ("stem_conv", nn.Conv2d(spec.Channels, w, 3, padding: 1, bias: false)),
            ("stem_bn", new HeldBatchNorm2d(w)),
            ("stem_relu", nn.ReLU()),
            ("stage1a", new ResidualBlock("stage1a", w, w, 1)),
            ("stage1b", new ResidualBlock("stage1b", w, w, 1)),
            ("stage2a", new ResidualBlock("stage2a", w, 2 * w, 2)),
            ("stage2b", new ResidualBlock("stage2b", 2 * w, 2 * w, 1)),
            ("stage3a", new ResidualBlock("stage3a", 2 * w, 4 * w, 2)),
            ("stage3b", new ResidualBlock("stage3b", 4 * w, 4 * w, 1)),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("dropout", nn.Dropout(spec.Dropout)),
            ("fc", nn.Linear(4 * w, spec.NumClasses)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _layers.forward(input);
}
