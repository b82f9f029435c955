using static TorchSharp.torch;

namespace Edge.Training.Detection.Loss;

/// <summary>IoU family on xyxy box tensors [..., 4] (broadcasting).</summary>
public static class BoxIou
{
    private const double Eps = 1e-7;

    /// <summary>
    /// Complete IoU (Zheng et al., "Distance-IoU Loss", AAAI 2020, arXiv 1911.08287):
    /// CIoU = IoU − ρ²(b, b_gt)/c² − α·v, with v = 4/π²·(atan(w_gt/h_gt) − atan(w/h))² and α = v / (1 − IoU + v),
    /// α treated as a constant in the gradient (as the paper and Ultralytics' bbox_iou do).
    /// </summary>
    public static Tensor Ciou(Tensor box1, Tensor box2)
    {
        using var scope = NewDisposeScope();
        var (b1x1, b1y1, b1x2, b1y2) = Split(box1);
        var (b2x1, b2y1, b2x2, b2y2) = Split(box2);
        var w1 = b1x2 - b1x1;
        var h1 = b1y2 - b1y1 + Eps;
        var w2 = b2x2 - b2x1;
        var h2 = b2y2 - b2y1 + Eps;
        var inter = (minimum(b1x2, b2x2) - maximum(b1x1, b2x1)).clamp_min(0) * (minimum(b1y2, b2y2) - maximum(b1y1, b2y1)).clamp_min(0);
        var union = (w1 * h1) + (w2 * h2) - inter + Eps;
        var iou = inter / union;
        var cw = maximum(b1x2, b2x2) - minimum(b1x1, b2x1);
        var ch = maximum(b1y2, b2y2) - minimum(b1y1, b2y1);
        var c2 = cw.pow(2) + ch.pow(2) + Eps;
        var rho2 = ((b2x1 + b2x2 - b1x1 - b1x2).pow(2) + (b2y1 + b2y2 - b1y1 - b1y2).pow(2)) / 4;
        var v = (atan(w2 / h2) - atan(w1 / h1)).pow(2) * (4 / (Math.PI * Math.PI));
        Tensor alpha;
        using (no_grad())
        {
            alpha = v / (v - iou + (1 + Eps));
        }
        return (iou - ((rho2 / c2) + (v * alpha))).MoveToOuterDisposeScope();
    }

    private static (Tensor X1, Tensor Y1, Tensor X2, Tensor Y2) Split(Tensor box)
    {
        var parts = box.unbind(-1);
        return (parts[0], parts[1], parts[2], parts[3]);
    }
}
