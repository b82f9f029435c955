using Edge.Training.Detection;
using Edge.Training.Detection.Loss;
using Edge.Training.Native;
using static TorchSharp.torch;

namespace Edge.Training.Tests;

public sealed class DetectionLossTests
{
    public DetectionLossTests() => TorchRuntime.Initialize(threads: 2);

    [Fact]
    public void Ciou_of_shifted_equal_boxes_is_iou_minus_normalised_centre_distance()
    {
        // [0,0,2,2] vs [1,0,3,2]: IoU = 2/6; enclosing box 3x2 so c² = 13; centres 1 apart so ρ² = 1; same aspect so v = 0.
        using var a = tensor(new float[] { 0, 0, 2, 2 });
        using var b = tensor(new float[] { 1, 0, 3, 2 });
        using var ciou = BoxIou.Ciou(a, b);
        Assert.Equal((1.0 / 3) - (1.0 / 13), ciou.item<float>(), 4);
        using var self = BoxIou.Ciou(a, a);
        Assert.Equal(1.0, self.item<float>(), 5);
    }

    [Fact]
    public void Ciou_penalises_a_different_aspect_ratio()
    {
        // Same centre, [0,0,4,2] vs [1,-1,3,3]: IoU = 4/12, no centre distance; v = 4/π²·(atan(0.5) − atan(2))².
        using var a = tensor(new float[] { 0, 0, 4, 2 });
        using var b = tensor(new float[] { 1, -1, 3, 3 });
        double iou = 4.0 / 12, v = 4 / (Math.PI * Math.PI) * Math.Pow(Math.Atan(0.5) - Math.Atan(2), 2);
        double alpha = v / (v - iou + 1);
        using var ciou = BoxIou.Ciou(a, b);
        Assert.Equal(iou - (alpha * v), ciou.item<float>(), 4);
    }

    [Fact]
    public void Assigner_picks_the_top_k_best_aligned_anchors_inside_the_box()
    {
        // Five anchors on a row; the box [0,0,30,10] holds the first three. Every prediction is the box itself (IoU 1),
        // so alignment = score^0.5: inside scores 0.2, 0.9, 0.5 → top-2 are anchors 1 and 2. Anchors 3 and 4 score
        // higher but lie outside, so they are never candidates.
        var assigner = new TaskAlignedAssigner(numClasses: 1, topK: 2);
        using var anchors = tensor(new float[] { 5, 5, 15, 5, 25, 5, 35, 5, 45, 5 }, [5, 2]);
        using var scores = tensor(new float[] { 0.2f, 0.9f, 0.5f, 0.99f, 0.99f }, [1, 5, 1]);
        using var boxes = tensor(Enumerable.Repeat(new float[] { 0, 0, 30, 10 }, 5).SelectMany(x => x).ToArray(), [1, 5, 4]);
        using var gtBoxes = tensor(new float[] { 0, 0, 30, 10 }, [1, 1, 4]);
        using var gtLabels = tensor(new long[] { 0 }, [1, 1]);
        using var gtMask = tensor(new[] { true }, [1, 1]);
        using var result = assigner.Assign(scores, boxes, anchors, gtLabels, gtBoxes, gtMask);
        Assert.Equal([false, true, true, false, false], result.Foreground.data<bool>().ToArray());
        // Normalised targets: t / max t · max IoU → anchor 1: 1, anchor 2: sqrt(0.5 / 0.9); background 0.
        float[] t = result.Scores.data<float>().ToArray();
        Assert.Equal(0, t[0]);
        Assert.Equal(1, t[1], 4);
        Assert.Equal(Math.Sqrt(0.5 / 0.9), t[2], 4);
        Assert.Equal(0, t[3]);
        Assert.Equal(0, t[4]);
        Assert.Equal([0f, 0, 30, 10], result.Boxes[0, 1].data<float>().ToArray());
    }

    [Fact]
    public void Assigner_gives_an_anchor_claimed_by_two_boxes_to_the_one_it_overlaps_most()
    {
        // One anchor at (10,10) inside both boxes; its prediction equals box B, so IoU(B) = 1 > IoU(A).
        var assigner = new TaskAlignedAssigner(numClasses: 2, topK: 1);
        using var anchors = tensor(new float[] { 10, 10 }, [1, 2]);
        using var scores = tensor(new float[] { 0.9f, 0.9f }, [1, 1, 2]);
        using var boxes = tensor(new float[] { 5, 5, 15, 15 }, [1, 1, 4]);
        using var gtBoxes = tensor(new float[] { 0, 0, 30, 30, 5, 5, 15, 15 }, [1, 2, 4]);
        using var gtLabels = tensor(new long[] { 0, 1 }, [1, 2]);
        using var gtMask = tensor(new[] { true, true }, [1, 2]);
        using var result = assigner.Assign(scores, boxes, anchors, gtLabels, gtBoxes, gtMask);
        Assert.Equal(1L, result.GtIndex[0, 0].item<long>());
        Assert.Equal([0f, 1f], result.Scores.data<float>().ToArray());
    }

    [Fact]
    public void Dfl_of_uniform_bins_is_log_of_the_bin_count_and_zero_gradient_at_the_target()
    {
        using var uniform = zeros(1, 16);
        using var target = tensor(new float[] { 2.5f });
        using var loss = DetectionLoss.DistributionFocal(uniform, target);
        Assert.Equal(Math.Log(16), loss.item<float>(), 4);
        // A distribution split evenly between bins 2 and 3 is the optimum for 2.5: lower loss than uniform.
        using var peaked = full(1, 16, -20f);
        peaked[0, 2] = tensor(5f);
        peaked[0, 3] = tensor(5f);
        using var best = DetectionLoss.DistributionFocal(peaked, target);
        Assert.Equal(Math.Log(2), best.item<float>(), 3);
    }

    [Fact]
    public void Loss_decreases_when_overfitting_two_images()
    {
        manual_seed(3);
        using var model = new YoloV8(YoloScale.N, numClasses: 1);
        model.train();
        var loss = new DetectionLoss(1);
        // Two 64x64 images: a bright rectangle on a dark background, labelled with its box.
        var targets = new List<DetectionTarget>
        {
            new([(8f, 12f, 40f, 56f)], [0]),
            new([(30f, 4f, 60f, 30f)], [0]),
        };
        using var x = zeros(2, 3, 64, 64);
        x[0, .., 12..56, 8..40] = tensor(1f);
        x[1, .., 4..30, 30..60] = tensor(1f);
        var optimizer = optim.Adam(model.parameters(), 0.002);
        double first = 0, last = 0;
        for (int step = 0; step < 25; step++)
        {
            optimizer.zero_grad();
            using var parts = loss.Compute(model.ForwardRaw(x), targets);
            parts.Total.backward();
            optimizer.step();
            double value = parts.Box + parts.Class + parts.Dfl;
            Assert.True(double.IsFinite(value), $"step {step}: loss {value}");
            if (step == 0)
            {
                first = value;
            }
            last = value;
        }
        Assert.True(last < 0.5 * first, $"loss {first:F3} → {last:F3}");
    }
}
