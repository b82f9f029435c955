using Edge.Training.Native;
using Edge.Training.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Detection;

/// <summary>Distribution Focal Loss integral (Li et al., Generalized Focal Loss, arXiv 2006.04388): a fixed 1x1 conv
/// with weights 0..15 turns a softmax over 16 bins into an expected distance.</summary>
public sealed class Dfl : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Dfl(int regMax = 16) : base("DFL")
    {
        RegMax = regMax;
        conv = nn.Conv2d(regMax, 1, 1, bias: false);
        using (no_grad())
        {
            // Keep the source rooted for the whole native copy: an unreferenced temporary can be finalised (its
            // storage freed) mid-call, which once left garbage (NaN) bins in the weights.
            using var bins = HeldScalars.Arange(regMax);
            using var view = bins.view(1, regMax, 1, 1);
            conv.weight!.copy_(view);
            GC.KeepAlive(view);
        }
        conv.weight!.requires_grad = false;
        RegisterComponents();
    }

    public int RegMax { get; }

    public Parameter Weight => conv.weight!;

    /// <summary>[b, 4·regMax, a] → [b, 4, a] expected distances (in stride units).</summary>
    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], a = x.shape[2];
        using var scope = NewDisposeScope();
        var p = x.view(b, 4, RegMax, a).transpose(2, 1).softmax(1);
        return conv.forward(p).view(b, 4, a).MoveToOuterDisposeScope();
    }
}

/// <summary>YOLOv8 anchor-free decoupled head: per level a box branch (cv2: Conv3x3, Conv3x3, Conv1x1 → 4·16 DFL bins)
/// and a class branch (cv3: Conv3x3, Conv3x3, Conv1x1 → nc logits).</summary>
public sealed class DetectHead : nn.Module<Tensor, Tensor>
{
    public static readonly int[] Strides = [8, 16, 32];
    private readonly ModuleList<Sequential> cv2;
    private readonly ModuleList<Sequential> cv3;
    private readonly Dfl dfl;

    /// <param name="classWidth">Hidden width of the class branch; 0 = Ultralytics' max(c[0], min(nc, 100)). A detector
    /// narrowed from 80 COCO classes to one keeps the 80-derived width so the pretrained branch still fits.</param>
    public DetectHead(int nc, int[] channels, bool fused, int classWidth = 0) : base("Detect")
    {
        NumClasses = nc;
        int c2 = Math.Max(Math.Max(16, channels[0] / 4), 16 * 4), c3 = classWidth > 0 ? classWidth : DefaultClassWidth(nc, channels[0]);
        ClassWidth = c3;
        cv2 = nn.ModuleList(channels.Select(c => nn.Sequential(new ConvBnSilu(c, c2, 3, 1, fused), new ConvBnSilu(c2, c2, 3, 1, fused), nn.Conv2d(c2, 64, 1))).ToArray());
        cv3 = nn.ModuleList(channels.Select(c => nn.Sequential(new ConvBnSilu(c, c3, 3, 1, fused), new ConvBnSilu(c3, c3, 3, 1, fused), nn.Conv2d(c3, nc, 1))).ToArray());
        dfl = new Dfl();
        RegisterComponents();
    }

    public int NumClasses { get; }

    public int ClassWidth { get; }

    public int RegMax => dfl.RegMax;

    /// <summary>The fixed DFL bin weights (0..15), exposed so exports and tests can check them.</summary>
    public Tensor DflWeight => dfl.Weight;

    public static int DefaultClassWidth(int nc, int firstChannels) => Math.Max(firstChannels, Math.Min(nc, 100));

    /// <summary>The last 1x1 conv of each level's class branch (what <see cref="YoloV8.KeepClasses"/> slices).</summary>
    public Conv2d ClassConv(int level) => (Conv2d)cv3[level][2];

    public override Tensor forward(Tensor input) => throw new NotSupportedException("use Raw and Decode");

    /// <summary>Per-level raw maps [b, 4·16+nc, h, w].</summary>
    public Tensor[] Raw(IReadOnlyList<Tensor> features) =>
        features.Select((f, i) =>
        {
            using var box = cv2[i].forward(f);
            using var cls = cv3[i].forward(f);
            return cat([box, cls], 1);
        }).ToArray();

    /// <summary>Anchor points (cell centres, grid units) [A, 2] and their strides [A, 1], levels in order.</summary>
    public static (Tensor Points, Tensor Strides) Anchors(IReadOnlyList<(long H, long W)> sizes, Device device)
    {
        // Every Scalar is held until its op returns (see HeldScalars).
        using var scope = NewDisposeScope();
        var points = new List<Tensor>();
        var strides = new List<Tensor>();
        for (int i = 0; i < sizes.Count; i++)
        {
            var (h, w) = sizes[i];
            using var stride = Strides[i].ToScalar();
            var sx = HeldScalars.Arange(w, device).add(HeldScalars.HalfCell, HeldScalars.One);
            var sy = HeldScalars.Arange(h, device).add(HeldScalars.HalfCell, HeldScalars.One);
            var grid = meshgrid([sy, sx], indexing: "ij");
            points.Add(stack([grid[1], grid[0]], -1).view(-1, 2));
            strides.Add(full(h * w, 1, stride, dtype: float32, device: device));
        }
        return (cat(points, 0).MoveToOuterDisposeScope(), cat(strides, 0).MoveToOuterDisposeScope());
    }

    /// <summary>Inference output as Ultralytics exports it: [b, 4+nc, A], rows cx, cy, w, h (input pixels) then
    /// sigmoid class scores.</summary>
    public Tensor Decode(IReadOnlyList<Tensor> raw)
    {
        using var scope = NewDisposeScope();
        long b = raw[0].shape[0], no = raw[0].shape[1];
        var flat = cat(raw.Select(r => r.view(b, no, -1)).ToArray(), 2);
        var (points, strides) = Anchors(raw.Select(r => (r.shape[2], r.shape[3])).ToList(), flat.device);
        var box = flat.narrow(1, 0, 4 * RegMax);
        var cls = flat.narrow(1, 4 * RegMax, NumClasses);
        var dist = dfl.forward(box);
        var anchor = points.transpose(0, 1).unsqueeze(0);
        var lt = dist.narrow(1, 0, 2);
        var rb = dist.narrow(1, 2, 2);
        var x1y1 = anchor - lt;
        var x2y2 = anchor.add(rb, HeldScalars.One);
        var centre = x1y1.add(x2y2, HeldScalars.One).div(HeldScalars.Two);
        var xywh = cat([centre, x2y2 - x1y1], 1) * strides.transpose(0, 1).unsqueeze(0);
        return cat([xywh, cls.sigmoid()], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the head and the decode (DFL, dist2bbox, stride scaling, sigmoid) as ONNX, batch 1.</summary>
    public string ExportOnnx(OnnxModuleExporter exporter, IReadOnlyList<string> features, IReadOnlyList<(long H, long W)> sizes, string scope)
    {
        var g = exporter.Graph;
        int no = (4 * RegMax) + NumClasses;
        var levels = new List<string>();
        for (int i = 0; i < features.Count; i++)
        {
            string box = exporter.Export(cv2[i], features[i], OnnxModuleExporter.Scope(scope, $"cv2.{i}"));
            string cls = exporter.Export(cv3[i], features[i], OnnxModuleExporter.Scope(scope, $"cv3.{i}"));
            string level = g.Node("Concat", [box, cls], OnnxGraphBuilder.Int("axis", 1));
            levels.Add(g.Node("Reshape", [level, g.Int64Initializer($"{scope}.shape{i}", 1, no, -1)]));
        }
        string all = g.Node("Concat", [.. levels], OnnxGraphBuilder.Int("axis", 2));
        var split = g.NodeMulti("Split", [all, g.Int64Initializer($"{scope}.split", 4 * RegMax, NumClasses)], 2, OnnxGraphBuilder.Int("axis", 1));
        long a = sizes.Sum(s => s.H * s.W);
        // DFL: [1, 64, A] → [1, 4, 16, A] → [1, 16, 4, A] → softmax over bins → 1x1 conv with 0..15 → [1, 4, A].
        string bins = g.Node("Reshape", [split[0], g.Int64Initializer($"{scope}.dfl.shape", 1, 4, RegMax, a)]);
        string t = g.Node("Transpose", [bins], OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));
        string soft = g.Node("Softmax", [t], OnnxGraphBuilder.Int("axis", 1));
        string w = g.Initializer($"{scope}.dfl.conv.weight", OnnxModuleExporter.Floats(dfl.Weight), 1, RegMax, 1, 1);
        string dist = g.Node("Reshape", [g.Node("Conv", [soft, w]), g.Int64Initializer($"{scope}.dfl.out", 1, 4, a)]);
        var ltrb = g.NodeMulti("Split", [dist, g.Int64Initializer($"{scope}.ltrb", 2, 2)], 2, OnnxGraphBuilder.Int("axis", 1));
        var (points, strides) = Anchors(sizes, CPU);
        using (points)
        using (strides)
        {
            using var pointsT = points.transpose(0, 1).contiguous();
            string anchor = g.Initializer($"{scope}.anchors", OnnxModuleExporter.Floats(pointsT), 1, 2, a);
            string stride = g.Initializer($"{scope}.strides", OnnxModuleExporter.Floats(strides), 1, a);
            string x1y1 = g.Node("Sub", [anchor, ltrb[0]]);
            string x2y2 = g.Node("Add", [anchor, ltrb[1]]);
            string half = g.Initializer($"{scope}.half", [0.5f], 1);
            string centre = g.Node("Mul", [g.Node("Add", [x1y1, x2y2]), half]);
            string wh = g.Node("Sub", [x2y2, x1y1]);
            string xywh = g.Node("Mul", [g.Node("Concat", [centre, wh], OnnxGraphBuilder.Int("axis", 1)), stride]);
            return g.Node("Concat", [xywh, g.Node("Sigmoid", [split[1]])], OnnxGraphBuilder.Int("axis", 1));
        }
    }
}
