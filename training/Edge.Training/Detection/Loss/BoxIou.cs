using Edge.Training.Native;
using static TorchSharp.torch;

namespace Edge.Training.Detection.Loss;

/// <summary>IoU family on xyxy box tensors [..., 4] (broadcasting).</summary>
public static class BoxIou
{
    /// <summary>ε added to the heights, the union and c² (held as <see cref="HeldScalars.IouEps"/>).</summary>
    internal const double Eps = 1e-7;

    /// <summary>
    /// Complete IoU (Zheng et al., "Distance-IoU Loss", AAAI 2020, arXiv 1911.08287):
    /// CIoU = IoU − ρ²(b, b_gt)/c² − α·v, with v = 4/π²·(atan(w_gt/h_gt) − atan(w/h))² and α = v / (1 − IoU + v),
    /// α treated as a constant in the gradient (as the paper and Ultralytics' bbox_iou do).
    /// </summary>
    public static Tensor Ciou(Tensor box1, Tensor box2)
    {
        // Every Scalar is a held one, and sums pass their alpha explicitly (see HeldScalars).
        using var scope = NewDisposeScope();
        var (b1x1, b1y1, b1x2, b1y2) = Split(box1);
        var (b2x1, b2y1, b2x2, b2y2) = Split(box2);
        var w1 = b1x2 - b1x1;
        var h1 = (b1y2 - b1y1).add(HeldScalars.IouEps, HeldScalars.One);
        var w2 = b2x2 - b2x1;
        var h2 = (b2y2 - b2y1).add(HeldScalars.IouEps, HeldScalars.One);
        var inter = (minimum(b1x2, b2x2) - maximum(b1x1, b2x1)).clamp_min(HeldScalars.Zero) * (minimum(b1y2, b2y2) - maximum(b1y1, b2y1)).clamp_min(HeldScalars.Zero);
        var union = ((w1 * h1).add(w2 * h2, HeldScalars.One) - inter).add(HeldScalars.IouEps, HeldScalars.One);
        var iou = inter / union;
        var cw = maximum(b1x2, b2x2) - minimum(b1x1, b2x1);
        var ch = maximum(b1y2, b2y2) - minimum(b1y1, b2y1);
        var c2 = SumOfSquares(cw, ch).add(HeldScalars.IouEps, HeldScalars.One);
        var rho2 = SumOfSquares(b2x1.add(b2x2, HeldScalars.One) - b1x1 - b1x2, b2y1.add(b2y2, HeldScalars.One) - b1y1 - b1y2).div(HeldScalars.Four);
        var v = (atan(w2 / h2) - atan(w1 / h1)).pow(HeldScalars.Two).mul(HeldScalars.FourOverPiSquared);
        Tensor alpha;
        using (no_grad())
        {
            alpha = v / (v - iou).add(HeldScalars.OnePlusIouEps, HeldScalars.One);
        }
        return (iou - (rho2 / c2).add(v * alpha, HeldScalars.One)).MoveToOuterDisposeScope();
    }

    /// <summary>a² + b².</summary>
    private static Tensor SumOfSquares(Tensor a, Tensor b) => a.pow(HeldScalars.Two).add(b.pow(HeldScalars.Two), HeldScalars.One);

    private static (Tensor X1, Tensor Y1, Tensor X2, Tensor Y2) Split(Tensor box)
    {
        var parts = box.unbind(-1);
        return (parts[0], parts[1], parts[2], parts[3]);
    }
}
