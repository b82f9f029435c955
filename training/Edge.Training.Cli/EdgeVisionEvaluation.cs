using Edge.Detection;
using Edge.Training.Data;
using Edge.Training.Metrics;
using OpenCvSharp;
using Det = Edge.Detection.Detection;

namespace Edge.Training.Cli;

/// <summary>
/// mAP of an exported detector on the device path: Edge.Vision's <see cref="YoloDetector"/> (OpenCV decode, its own
/// letterbox at the model's input size, ONNX Runtime, its NMS) at Ultralytics' validation thresholds (score 0.001,
/// IoU 0.7), scored by the same <see cref="DetectionMap"/> as the TorchSharp evaluation. This is what
/// "the export scores the same in ./edge" is measured with.
/// </summary>
public static class EdgeVisionEvaluation
{
    public static MapResult Run(string onnx, IReadOnlyList<DetectionSample> samples, int threads = 2, CancellationToken ct = default)
    {
        using var detector = YoloDetector.Create(new DetectorOptions { Model = onnx, ScoreThreshold = 0.001f, IouThreshold = 0.7f, IntraOpThreads = threads });
        var predictions = new List<IReadOnlyList<Det>>(samples.Count);
        foreach (var sample in samples)
        {
            ct.ThrowIfCancellationRequested();
            using var image = Cv2.ImRead(sample.ImagePath, ImreadModes.Color);
            if (image.Empty())
            {
                throw new EdgeException($"cannot read {sample.ImagePath}");
            }
            var list = new List<Det>();
            detector.Detect(image, list);
            predictions.Add(list);
        }
        return DetectionMap.Compute(samples.Select(s => new LabelledImage(s.Boxes, s.Classes)).ToList(), predictions);
    }
}
