using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Models;

/// <summary>[Conv3x3(pad 1)-ReLU-MaxPool2]x2 → Flatten → Linear-ReLU → Linear. For 20x20 digits: 20→10→5.</summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    public SmallCnn(ClassifierSpec spec) : base(nameof(SmallCnn))
    {
        int w = spec.Width;
        int pooled = spec.ImageSize / 4;
        if (pooled < 1 || spec.ImageSize % 4 != 0)
        {
            throw new EdgeException($"SmallCnn needs an image size divisible by 4, got {spec.ImageSize}");
        }
        _layers = nn.Sequential(
            ("conv1", nn.Conv2d(spec.Channels, w, 3, padding: 1)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(w, 2 * w, 3, padding: 1)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(2 * w * pooled * pooled, 4 * w)),
            ("relu3", nn.ReLU()),
            ("fc2", nn.Linear(4 * w, spec.NumClasses)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _layers.forward(input);
}
