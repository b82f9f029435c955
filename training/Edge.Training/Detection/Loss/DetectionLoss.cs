using Edge.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Edge.Training.Detection.Loss;

/// <summary>Ground truth of one image for the loss: boxes xyxy in input pixels and their classes.</summary>
public sealed record DetectionTarget(IReadOnlyList<(float X1, float Y1, float X2, float Y2)> Boxes, IReadOnlyList<int> Classes);

/// <summary>The three weighted parts (each already multiplied by its gain) and their sum; the caller backpropagates
/// <see cref="Total"/>.</summary>
public sealed record DetectionLossParts(Tensor Total, double Box, double Class, double Dfl) : IDisposable
{
    public void Dispose() => Total.Dispose();
}

/// <summary>
/// YOLOv8 detection loss (Ultralytics v8DetectionLoss): task-aligned assignment, then
/// box = Σ_fg w·(1 − CIoU) / Σ t, dfl = Σ_fg w·DFL / Σ t (Li et al., Generalized Focal Loss, arXiv 2006.04388: cross
/// entropy on the two bins around each target distance, weighted by proximity), cls = Σ BCE(logits, t) / Σ t, where t is
/// the assigner's soft class target and w = Σ_c t for that anchor. The gains (box 7.5, cls 0.5, dfl 1.5) are Ultralytics'
/// defaults; the total is multiplied by the batch size as Ultralytics does, so SGD step sizes carry over.
/// </summary>
public sealed class DetectionLoss(int numClasses, double boxGain = 7.5, double clsGain = 0.5, double dflGain = 1.5, int regMax = 16)
{
    private readonly TaskAlignedAssigner assigner = new(numClasses);

    public int NumClasses { get; } = numClasses;

    /// <param name="raw">Per-level head maps [b, 4·regMax + nc, h, w] (YoloV8.ForwardRaw).</param>
    public DetectionLossParts Compute(IReadOnlyList<Tensor> raw, IReadOnlyList<DetectionTarget> targets)
    {
        // Every Scalar is held until its op returns (see HeldScalars).
        using var scope = NewDisposeScope();
        long b = raw[0].shape[0], no = raw[0].shape[1];
        var device = raw[0].device;
        var flat = cat(raw.Select(r => r.view(b, no, -1)).ToArray(), 2).transpose(1, 2);   // b, A, no
        long a = flat.shape[1];
        var distLogits = flat.narrow(-1, 0, 4 * regMax);                                     // b, A, 64
        var clsLogits = flat.narrow(-1, 4 * regMax, NumClasses);                             // b, A, nc
        var (points, strides) = DetectHead.Anchors(raw.Select(r => (r.shape[2], r.shape[3])).ToList(), device);

        // Decode predicted boxes in grid units: expected distance from the softmax over bins.
        var bins = HeldScalars.Arange(regMax, device);
        var dist = distLogits.view(b, a, 4, regMax).softmax(-1).matmul(bins);                // b, A, 4 (l, t, r, b)
        var predBoxes = cat([points - dist.narrow(-1, 0, 2), points.add(dist.narrow(-1, 2, 2), HeldScalars.One)], -1);

        var (gtLabels, gtBoxes, gtMask) = Pad(targets, device);
        using var assigned = assigner.Assign(clsLogits.detach().sigmoid(), (predBoxes.detach() * strides).to_type(float32),
            points * strides, gtLabels, gtBoxes, gtMask);
        var scoreSum = assigned.Scores.sum().clamp_min(HeldScalars.One);

        var cls = nn.functional.binary_cross_entropy_with_logits(clsLogits, assigned.Scores, reduction: nn.Reduction.None).sum() / scoreSum;

        var fgIndex = assigned.Foreground.view(-1).nonzero().view(-1);
        Tensor box, dfl;
        if (fgIndex.shape[0] > 0)
        {
            var weight = assigned.Scores.sum(-1).view(-1).index_select(0, fgIndex).unsqueeze(-1);   // fg, 1
            var targetBoxes = (assigned.Boxes / strides).view(-1, 4).index_select(0, fgIndex);       // grid units
            var pred = predBoxes.view(-1, 4).index_select(0, fgIndex);
            var ciouLoss = BoxIou.Ciou(pred, targetBoxes).negative().add(HeldScalars.One, HeldScalars.One); // 1 − CIoU, as `1 - x` runs it
            box = (ciouLoss.unsqueeze(-1) * weight).sum() / scoreSum;

            var anchorsFg = points.unsqueeze(0).expand(b, a, 2).reshape(-1, 2).index_select(0, fgIndex);
            using var maxDist = (regMax - 1 - 0.01).ToScalar();
            var targetDist = cat([anchorsFg - targetBoxes.narrow(-1, 0, 2), targetBoxes.narrow(-1, 2, 2) - anchorsFg], -1)
                .clamp(HeldScalars.Zero, maxDist);                                            // fg, 4
            var logits = distLogits.reshape(-1, 4 * regMax).index_select(0, fgIndex).view(-1, regMax);
            dfl = (DistributionFocal(logits, targetDist.view(-1)).view(-1, 4).mean([-1], keepdim: true) * weight).sum() / scoreSum;
        }
        else
        {
            box = zeros(1, device: device).sum();
            dfl = zeros(1, device: device).sum();
        }
        using var boxScale = boxGain.ToScalar();
        using var clsScale = clsGain.ToScalar();
        using var dflScale = dflGain.ToScalar();
        using var batch = b.ToScalar();
        var boxW = box.mul(boxScale);
        var clsW = cls.mul(clsScale);
        var dflW = dfl.mul(dflScale);
        var total = boxW.add(clsW, HeldScalars.One).add(dflW, HeldScalars.One).mul(batch);
        return new DetectionLossParts(total.MoveToOuterDisposeScope(), boxW.item<float>(), clsW.item<float>(), dflW.item<float>());
    }

    /// <summary>DFL for each row: CE to the left bin weighted by (right − y) plus CE to the right bin weighted by (y − left).</summary>
    public static Tensor DistributionFocal(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var left = target.to_type(int64);
        var right = left.add(HeldScalars.One, HeldScalars.One);
        var wl = right.to_type(float32) - target;
        var wr = wl.negative().add(HeldScalars.One, HeldScalars.One);                         // 1 − wl, as `1 - wl` runs it
        var loss = (nn.functional.cross_entropy(logits, left, reduction: nn.Reduction.None) * wl)
            .add(nn.functional.cross_entropy(logits, right, reduction: nn.Reduction.None) * wr, HeldScalars.One);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Pads the per-image boxes to the batch's largest count: labels [b, M], boxes [b, M, 4], mask [b, M].</summary>
    public static (Tensor Labels, Tensor Boxes, Tensor Mask) Pad(IReadOnlyList<DetectionTarget> targets, Device device)
    {
        int b = targets.Count, m = targets.Max(t => t.Boxes.Count);
        var labels = new long[b * m];
        var boxes = new float[b * m * 4];
        var mask = new bool[b * m];
        for (int i = 0; i < b; i++)
        {
            for (int j = 0; j < targets[i].Boxes.Count; j++)
            {
                int s = (i * m) + j;
                var (x1, y1, x2, y2) = targets[i].Boxes[j];
                labels[s] = targets[i].Classes[j];
                (boxes[s * 4], boxes[(s * 4) + 1], boxes[(s * 4) + 2], boxes[(s * 4) + 3]) = (x1, y1, x2, y2);
                mask[s] = true;
            }
        }
        return (tensor(labels, [b, m], device: device), tensor(boxes, [b, m, 4], device: device), tensor(mask, [b, m], device: device));
    }
}
