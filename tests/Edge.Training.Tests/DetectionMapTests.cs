using Edge.Geometry;
using Edge.Training.Metrics;
using Det = Edge.Detection.Detection;

namespace Edge.Training.Tests;

public sealed class DetectionMapTests
{
    private static readonly BoxF A = new(0, 0, 10, 10);
    private static readonly BoxF B = new(50, 50, 70, 90);

    [Fact]
    public void Perfect_predictions_give_map_one()
    {
        var truth = new[] { new LabelledImage([A, B], [0, 1]), new LabelledImage([B], [0]) };
        var preds = new IReadOnlyList<Det>[] { [new(A, 0.9f, 0), new(B, 0.8f, 1)], [new(B, 0.7f, 0)] };
        var map = DetectionMap.Compute(truth, preds);
        Assert.Equal(1.0, map.Map50, 12);
        Assert.Equal(1.0, map.Map50To95, 12);
    }

    [Fact]
    public void A_box_shifted_by_two_pixels_loses_the_strict_thresholds()
    {
        // GT [0,0,10,10], prediction [2,0,12,10]: IoU = 80 / (100 + 100 - 80) = 2/3. It matches at IoU 0.50, 0.55,
        // 0.60, 0.65 (AP 1) and misses at 0.70 … 0.95 (AP 0), so mAP50 = 1 and mAP50-95 = 4/10 = 0.4.
        var truth = new[] { new LabelledImage([A], [0]) };
        var preds = new IReadOnlyList<Det>[] { [new(new BoxF(2, 0, 12, 10), 0.9f, 0)] };
        var map = DetectionMap.Compute(truth, preds);
        Assert.Equal(1.0, map.Map50, 12);
        Assert.Equal(0.4, map.Map50To95, 12);
    }

    [Fact]
    public void One_perfect_and_one_shifted_box_gives_the_hand_computed_value()
    {
        // Two GTs; the perfect prediction ranks first. Above IoU 2/3 the ranking is TP, FP: recall 0.5 at precision 1,
        // so the 101-point AP is 51/101 (recall points 0.00 … 0.50). mAP50-95 = (4·1 + 6·51/101) / 10.
        var truth = new[] { new LabelledImage([A, B], [0, 0]) };
        var shifted = new BoxF(52, 50, 72, 90); // IoU with B = 18·40 / (800 + 800 − 720) = 720/880 = 0.818
        var preds = new IReadOnlyList<Det>[] { [new(A, 0.9f, 0), new(shifted, 0.8f, 0)] };
        var map = DetectionMap.Compute(truth, preds);
        // Thresholds ≤ 0.80 (0.50 … 0.80, seven of them) match both; 0.85 … 0.95 (three) match only A.
        double expected = ((7 * 1.0) + (3 * 51.0 / 101)) / 10;
        Assert.Equal(expected, map.Map50To95, 12);
        Assert.Equal(1.0, map.Map50, 12);
    }

    [Fact]
    public void A_false_positive_ranked_first_halves_precision_at_the_only_recall()
    {
        // Ranking FP (0.9), TP (0.8): precision at recall 1 is 1/2, and the envelope makes every recall point 1/2.
        var truth = new[] { new LabelledImage([A], [0]) };
        var preds = new IReadOnlyList<Det>[] { [new(B, 0.9f, 0), new(A, 0.8f, 0)] };
        Assert.Equal(0.5, DetectionMap.Compute(truth, preds).Map50, 12);
    }
}
