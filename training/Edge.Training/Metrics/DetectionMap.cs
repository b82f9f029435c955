using Edge.Geometry;
using Det = Edge.Detection.Detection;

namespace Edge.Training.Metrics;

/// <summary>Ground truth of one image: boxes and their classes.</summary>
public sealed record LabelledImage(IReadOnlyList<BoxF> Boxes, IReadOnlyList<int> Classes);

/// <summary>mAP at IoU 0.5 and averaged over IoU 0.50:0.05:0.95, per class then averaged over classes with ground truth.</summary>
public sealed record MapResult(double Map50, double Map50To95, IReadOnlyDictionary<int, double> Ap50PerClass);

/// <summary>
/// COCO-style average precision (pycocotools COCOeval): per class, detections sorted by score and greedily matched
/// to the best-IoU unmatched ground truth of the same image at each IoU threshold; precision made monotone
/// (max over higher recall), sampled at the 101 recall points 0, 0.01, …, 1 (0 past the last recall reached).
/// </summary>
public static class DetectionMap
{
    public static readonly double[] IouThresholds = Enumerable.Range(0, 10).Select(i => 0.5 + (0.05 * i)).ToArray();

    public static MapResult Compute(IReadOnlyList<LabelledImage> truth, IReadOnlyList<IReadOnlyList<Det>> predictions)
    {
        if (truth.Count != predictions.Count)
        {
            throw new ArgumentException($"{truth.Count} ground-truth images but {predictions.Count} prediction lists");
        }
        var classes = truth.SelectMany(t => t.Classes).Distinct().Order().ToArray();
        var ap50 = new Dictionary<int, double>();
        double sum50 = 0, sumAll = 0;
        foreach (int c in classes)
        {
            double[] aps = IouThresholds.Select(t => AveragePrecision(truth, predictions, c, t)).ToArray();
            ap50[c] = aps[0];
            sum50 += aps[0];
            sumAll += aps.Average();
        }
        int n = Math.Max(1, classes.Length);
        return new MapResult(sum50 / n, sumAll / n, ap50);
    }

    /// <summary>101-point interpolated AP of one class at one IoU threshold.</summary>
    public static double AveragePrecision(IReadOnlyList<LabelledImage> truth, IReadOnlyList<IReadOnlyList<Det>> predictions, int classId, double iouThreshold)
    {
        int positives = truth.Sum(t => t.Classes.Count(c => c == classId));
        if (positives == 0)
        {
            return 0;
        }
        var detections = predictions
            .SelectMany((list, image) => list.Where(d => d.ClassId == classId).Select(d => (Image: image, Det: d)))
            .OrderByDescending(x => x.Det.Score)
            .ToList();
        var matched = truth.Select(t => new bool[t.Boxes.Count]).ToArray();
        var precision = new double[detections.Count];
        var recall = new double[detections.Count];
        int tp = 0;
        for (int k = 0; k < detections.Count; k++)
        {
            var (image, det) = detections[k];
            var gt = truth[image];
            int best = -1;
            double bestIou = iouThreshold - 1e-10;
            for (int g = 0; g < gt.Boxes.Count; g++)
            {
                if (gt.Classes[g] != classId || matched[image][g])
                {
                    continue;
                }
                double iou = det.Box.IoU(gt.Boxes[g]);
                if (iou >= bestIou)
                {
                    (best, bestIou) = (g, iou);
                }
            }
            if (best >= 0)
            {
                matched[image][best] = true;
                tp++;
            }
            precision[k] = (double)tp / (k + 1);
            recall[k] = (double)tp / positives;
        }
        for (int k = detections.Count - 2; k >= 0; k--)
        {
            precision[k] = Math.Max(precision[k], precision[k + 1]);
        }
        double sum = 0;
        int j = 0;
        for (int r = 0; r <= 100; r++)
        {
            double level = r / 100.0;
            while (j < recall.Length && recall[j] < level - 1e-12)
            {
                j++;
            }
            sum += j < recall.Length ? precision[j] : 0;
        }
        return sum / 101;
    }
}
