using Edge.Training.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Detection;

/// <summary>
/// YOLOv8 detection model (Ultralytics yolov8.yaml): backbone Conv/C2f stages to P5 with SPPF, PAN neck (upsample +
/// concat top-down, strided conv + concat bottom-up), anchor-free decoupled DFL head on P3/P4/P5 (strides 8/16/32).
/// Module names follow Ultralytics' ("model.4.m.1.cv2.conv"), so weights map by name. <paramref name="fused"/> builds
/// biased convs without BatchNorm, the form in exported ONNX files.
/// </summary>
public sealed class YoloV8 : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module> model;

    public YoloV8(YoloScale scale, int numClasses, bool fused = false, int classWidth = 0) : base("DetectionModel")
    {
        Scale = scale;
        Fused = fused;
        int c64 = scale.Channels(64), c128 = scale.Channels(128), c256 = scale.Channels(256), c512 = scale.Channels(512), c1024 = scale.Channels(1024);
        int n3 = scale.Repeats(3), n6 = scale.Repeats(6);
        var head = new DetectHead(numClasses, [c256, c512, c1024], fused, classWidth);
        Head = head;
        model = nn.ModuleList<nn.Module>(
            new ConvBnSilu(3, c64, 3, 2, fused),                 // 0 P1/2
            new ConvBnSilu(c64, c128, 3, 2, fused),              // 1 P2/4
            new C2f(c128, c128, n3, true, fused),                // 2
            new ConvBnSilu(c128, c256, 3, 2, fused),             // 3 P3/8
            new C2f(c256, c256, n6, true, fused),                // 4
            new ConvBnSilu(c256, c512, 3, 2, fused),             // 5 P4/16
            new C2f(c512, c512, n6, true, fused),                // 6
            new ConvBnSilu(c512, c1024, 3, 2, fused),            // 7 P5/32
            new C2f(c1024, c1024, n3, true, fused),              // 8
            new Sppf(c1024, c1024, fused),                       // 9
            nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest), // 10
            nn.Identity(),                                       // 11 concat(10, 6)
            new C2f(c1024 + c512, c512, n3, false, fused),       // 12
            nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest), // 13
            nn.Identity(),                                       // 14 concat(13, 4)
            new C2f(c512 + c256, c256, n3, false, fused),        // 15 P3 out
            new ConvBnSilu(c256, c256, 3, 2, fused),             // 16
            nn.Identity(),                                       // 17 concat(16, 12)
            new C2f(c256 + c512, c512, n3, false, fused),        // 18 P4 out
            new ConvBnSilu(c512, c512, 3, 2, fused),             // 19
            nn.Identity(),                                       // 20 concat(19, 9)
            new C2f(c512 + c1024, c1024, n3, false, fused),      // 21 P5 out
            head);                                               // 22
        RegisterComponents();
    }

    public YoloScale Scale { get; }

    public bool Fused { get; }

    public DetectHead Head { get; }

    public int NumClasses => Head.NumClasses;

    /// <summary>
    /// A new model with only the classes <paramref name="keep"/> (in that order): every weight is copied, and each
    /// level's last class conv keeps only the rows of those classes, so their scores are unchanged (fine-tuning COCO
    /// weights for "person" starts from the pretrained person logit instead of a random one).
    /// </summary>
    public YoloV8 KeepClasses(IReadOnlyList<int> keep)
    {
        var result = new YoloV8(Scale, keep.Count, Fused, Head.ClassWidth);
        using var scope = NewDisposeScope();
        using var index = tensor(keep.Select(k => (long)k).ToArray());
        var source = state_dict();
        using (no_grad())
        {
            foreach (var (name, target) in result.state_dict())
            {
                var value = source[name];
                if (!value.shape.SequenceEqual(target.shape))
                {
                    value = value.index_select(0, index);
                }
                target.copy_(value);
            }
        }
        result.train(training);
        return result;
    }

    /// <summary>Inference output [b, 4+nc, A] (Ultralytics layout).</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Head.Decode(ForwardRaw(images)).MoveToOuterDisposeScope();
    }

    /// <summary>Per-level raw head maps [b, 64+nc, h, w] for P3, P4, P5 (what the loss consumes).</summary>
    public Tensor[] ForwardRaw(Tensor images)
    {
        using var scope = NewDisposeScope();
        Tensor L(int i, Tensor x) => ((nn.Module<Tensor, Tensor>)model[i]).forward(x);
        var x0 = L(0, images);
        var x1 = L(1, x0);
        var x2 = L(2, x1);
        var x3 = L(3, x2);
        var p3 = L(4, x3);
        var x5 = L(5, p3);
        var p4 = L(6, x5);
        var x7 = L(7, p4);
        var x8 = L(8, x7);
        var p5 = L(9, x8);
        var x12 = L(12, cat([L(10, p5), p4], 1));
        var out3 = L(15, cat([L(13, x12), p3], 1));
        var out4 = L(18, cat([L(16, out3), x12], 1));
        var out5 = L(21, cat([L(19, out4), p5], 1));
        var raw = Head.Raw([out3, out4, out5]);
        foreach (var r in raw)
        {
            r.MoveToOuterDisposeScope();
        }
        return raw;
    }

    /// <summary>Writes the whole network (batch 1, square <paramref name="imageSize"/>) into <paramref name="g"/>.</summary>
    public string ExportOnnx(OnnxModuleExporter e, string images, int imageSize)
    {
        var g = e.Graph;
        string L(int i, string x) => e.Export(model[i], x, $"model.{i}");
        string Up(string x) => g.Node("Resize", [x, "", g.Float32Initializer("upsample.scales", 1, 1, 2, 2)],
            OnnxGraphBuilder.String("mode", "nearest"), OnnxGraphBuilder.String("coordinate_transformation_mode", "asymmetric"),
            OnnxGraphBuilder.String("nearest_mode", "floor"));
        string Cat(string a, string b) => g.Node("Concat", [a, b], OnnxGraphBuilder.Int("axis", 1));
        string p3 = L(4, L(3, L(2, L(1, L(0, images)))));
        string p4 = L(6, L(5, p3));
        string p5 = L(9, L(8, L(7, p4)));
        string x12 = L(12, Cat(Up(p5), p4));
        string out3 = L(15, Cat(Up(x12), p3));
        string out4 = L(18, Cat(L(16, out3), x12));
        string out5 = L(21, Cat(L(19, out4), p5));
        var sizes = DetectHead.Strides.Select(s => ((long)imageSize / s, (long)imageSize / s)).ToList();
        return Head.ExportOnnx(e, [out3, out4, out5], sizes, "model.22");
    }
}
