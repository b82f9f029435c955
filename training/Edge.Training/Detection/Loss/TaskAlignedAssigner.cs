using Edge.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Edge.Training.Detection.Loss;

/// <summary>What the assigner gives each anchor: the box to regress (xyxy, pixels), the soft class target and
/// whether it is a foreground anchor at all.</summary>
public sealed record AssignedTargets(Tensor Boxes, Tensor Scores, Tensor Foreground, Tensor GtIndex) : IDisposable
{
    public void Dispose()
    {
        Boxes.Dispose();
        Scores.Dispose();
        Foreground.Dispose();
        GtIndex.Dispose();
    }
}

/// <summary>
/// Task-aligned assigner (TOOD, Feng et al., arXiv 2108.07755, §3.2; as in Ultralytics' TaskAlignedAssigner):
/// for each ground-truth box, the candidates are the anchors whose centre lies inside it; their alignment is
/// t = s^α · u^β (s: predicted score of the box's class, u: CIoU of the predicted box with it); the top-k candidates
/// are positives. An anchor claimed by several boxes goes to the box it overlaps most. The class target of a positive
/// is t normalised per box so that its best anchor gets that anchor's IoU (t / max t · max u).
/// </summary>
public sealed class TaskAlignedAssigner(int numClasses, int topK = 10, double alpha = 0.5, double beta = 6.0)
{
    /// <summary>ε in the normalisation and the centre-inside test (held as <see cref="HeldScalars.AlignEps"/>).</summary>
    internal const double Eps = 1e-9;

    public int NumClasses { get; } = numClasses;

    /// <param name="scores">[b, A, nc] predicted probabilities (sigmoid), detached.</param>
    /// <param name="boxes">[b, A, 4] predicted boxes xyxy in pixels, detached.</param>
    /// <param name="anchors">[A, 2] anchor centres in pixels.</param>
    /// <param name="gtLabels">[b, M] int64 class of each ground-truth slot.</param>
    /// <param name="gtBoxes">[b, M, 4] ground truth xyxy in pixels.</param>
    /// <param name="gtMask">[b, M] 1 for real boxes, 0 for padding.</param>
    public AssignedTargets Assign(Tensor scores, Tensor boxes, Tensor anchors, Tensor gtLabels, Tensor gtBoxes, Tensor gtMask)
    {
        // Every Scalar is held until its op returns (see HeldScalars).
        using var scope = NewDisposeScope();
        long b = scores.shape[0], a = scores.shape[1], m = gtBoxes.shape[1];
        if (m == 0)
        {
            return new AssignedTargets(zeros_like(boxes).MoveToOuterDisposeScope(), zeros_like(scores).MoveToOuterDisposeScope(),
                zeros(b, a, dtype: @bool).MoveToOuterDisposeScope(), zeros(b, a, dtype: int64).MoveToOuterDisposeScope());
        }
        using var lastClass = (NumClasses - 1).ToScalar();
        using var alphaExponent = alpha.ToScalar();
        using var betaExponent = beta.ToScalar();
        var valid = gtMask.to_type(float32).unsqueeze(-1);                                   // b, M, 1
        var inside = CentresInside(anchors, gtBoxes).to_type(float32) * valid;             // b, M, A

        // Alignment metric over (box, anchor) pairs.
        var labelIndex = gtLabels.clamp(HeldScalars.Zero, lastClass).unsqueeze(-1).expand(b, m, a); // b, M, A
        var classScores = scores.transpose(1, 2).gather(1, labelIndex);                     // b, M, A: s of the box's class
        var overlaps = BoxIou.Ciou(gtBoxes.unsqueeze(2), boxes.unsqueeze(1)).clamp_min(HeldScalars.Zero) * inside;
        var align = classScores.pow(alphaExponent) * overlaps.pow(betaExponent) * inside;

        // Top-k anchors per box by alignment, restricted to centre-inside candidates.
        int k = (int)Math.Min(topK, a);
        var (_, topIdx) = align.topk(k, dim: -1, largest: true);
        var top = zeros_like(align).scatter_(-1, topIdx, ones_like(topIdx, dtype: float32));
        var positive = top * inside;                                                         // b, M, A

        // An anchor claimed by several boxes keeps only the box with the highest IoU.
        var claims = positive.sum(1, keepdim: true);                                         // b, 1, A
        var best = overlaps.argmax(1, keepdim: true);                                        // b, 1, A
        var isBest = zeros_like(positive).scatter_(1, best, ones_like(best, dtype: float32));
        positive = where(claims.gt(HeldScalars.One), isBest, positive);
        var foreground = positive.sum(1).gt(HeldScalars.Zero);                               // b, A
        var gtIndex = positive.argmax(1);                                                    // b, A

        var gather = gtIndex.unsqueeze(-1);
        var targetBoxes = gtBoxes.gather(1, gather.expand(b, a, 4));                         // b, A, 4
        var targetLabels = gtLabels.gather(1, gtIndex).clamp(HeldScalars.Zero, lastClass);   // b, A
        var oneHot = nn.functional.one_hot(targetLabels, NumClasses).to_type(float32) * foreground.unsqueeze(-1).to_type(float32);

        // Normalise: per box, scale t so its best anchor scores that anchor's IoU.
        align = align * positive;
        var maxAlign = align.amax([-1], keepdim: true);                                      // b, M, 1
        var maxOverlap = (overlaps * positive).amax([-1], keepdim: true);
        var norm = (align * maxOverlap / maxAlign.add(HeldScalars.AlignEps, HeldScalars.One)).amax([-2]).unsqueeze(-1); // b, A, 1
        var targetScores = oneHot * norm;
        return new AssignedTargets(targetBoxes.MoveToOuterDisposeScope(), targetScores.MoveToOuterDisposeScope(),
            foreground.MoveToOuterDisposeScope(), gtIndex.MoveToOuterDisposeScope());
    }

    /// <summary>[b, M, A]: anchor centre strictly inside the box (all four distances &gt; eps).</summary>
    public static Tensor CentresInside(Tensor anchors, Tensor gtBoxes)
    {
        using var scope = NewDisposeScope();
        var xy = anchors.unsqueeze(0).unsqueeze(0);                                           // 1, 1, A, 2
        var lt = gtBoxes.narrow(-1, 0, 2).unsqueeze(2);                                       // b, M, 1, 2
        var rb = gtBoxes.narrow(-1, 2, 2).unsqueeze(2);
        var deltas = cat([xy - lt, rb - xy], -1);                                             // b, M, A, 4
        return deltas.amin([-1]).gt(HeldScalars.AlignEps).MoveToOuterDisposeScope();
    }
}
