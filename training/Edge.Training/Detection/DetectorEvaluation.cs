using Edge.Detection;
using Edge.Geometry;
using Edge.Models;
using Edge.Training.Data;
using Edge.Training.Metrics;
using static TorchSharp.torch;
using Det = Edge.Detection.Detection;

namespace Edge.Training.Detection;

/// <summary>mAP of a detector on a labelled split plus the detections behind it.</summary>
public sealed record DetectorEvaluationResult(MapResult Map, int Images, int Boxes, IReadOnlyList<IReadOnlyList<Det>> Detections);

/// <summary>
/// Validation the way Edge runs the model on the device: Edge.Core's <see cref="LetterboxPreprocessor"/> (centred,
/// grey 114, RGB 0..1), the model's [1, 4+nc, N] output, <see cref="UltralyticsDecoder"/> and class-aware
/// <see cref="NonMaxSuppression"/>, boxes mapped back to the original image, then COCO-style mAP against the labels.
/// Ultralytics' val settings: score threshold 0.001, IoU 0.7, at most 300 detections per image.
/// </summary>
public static class DetectorEvaluation
{
    public static DetectorEvaluationResult Run(YoloV8 model, IReadOnlyList<DetectionSample> samples, int imageSize,
        float scoreThreshold = 0.001f, float iouThreshold = 0.7f, int maxDetections = 300, CancellationToken ct = default)
    {
        bool wasTraining = model.training;
        model.eval();
        var pre = new LetterboxPreprocessor(imageSize, imageSize, PixelFormat.Rgb01Centered);
        long anchors = DetectHead.Strides.Sum(s => (long)(imageSize / s) * (imageSize / s));
        var decoder = new UltralyticsDecoder(model.NumClasses, (int)anchors);
        var candidates = new DetectionBuffer((int)anchors);
        var sortScratch = new long[anchors];
        var keep = new int[maxDetections];
        var chw = new float[pre.TensorLength];
        var detections = new List<IReadOnlyList<Det>>();
        try
        {
            foreach (var sample in samples)
            {
                ct.ThrowIfCancellationRequested();
                byte[] bgr = YoloDataset.ReadBgr(sample.ImagePath, out int w, out int h);
                var transform = pre.Run(bgr, w, h, w * 3, chw);
                float[] output;
                using (no_grad())
                using (var x = tensor(chw, [1, 3, imageSize, imageSize]))
                using (var y = model.forward(x))
                {
                    output = y.data<float>().ToArray();
                }
                candidates.Clear();
                decoder.Decode(output, scoreThreshold, [], candidates);
                int kept = NonMaxSuppression.Run(candidates.Items, iouThreshold, sortScratch, keep);
                var list = new List<Det>(kept);
                for (int k = 0; k < kept; k++)
                {
                    var d = candidates.Items[keep[k]];
                    list.Add(d with { Box = transform.ToSource(d.Box).Clip(w, h) });
                }
                detections.Add(list);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var truth = samples.Select(s => new LabelledImage(s.Boxes, s.Classes)).ToList();
        return new DetectorEvaluationResult(DetectionMap.Compute(truth, detections), samples.Count, samples.Sum(s => s.Boxes.Count), detections);
    }
}
