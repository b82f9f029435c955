using Edge.Appearance;
using Edge.Capture;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Tests;
using Edge.Tracking;
using Edge.Training.Classification;
using Edge.Training.Data;
using Edge.Training.Models;
using Edge.Training.Onnx;
using Edge.Training.Optimization;
using OpenCvSharp;

namespace Edge.Training.Tests;

/// <summary>A classifier trained and exported by the training library (what <c>edge-train classify --export</c>
/// runs) is loaded by the runtime's secondary classifier stage and labels tracks on a synthetic sequence.</summary>
public sealed class SecondaryClassifierStageTests
{
    private static readonly string[] Names = ["hi-vis", "other"];
    private const int Size = 20;

    /// <summary>Paints a "person" into <paramref name="frame"/>: a hi-vis vest (orange-yellow torso) or other
    /// clothes (a random dark or muted colour), with dark legs and head and per-pixel noise.</summary>
    private static void PaintPerson(Mat frame, Rect r, bool vest, Random rng)
    {
        Scalar torso = vest
            ? new Scalar(rng.Next(0, 60), rng.Next(150, 230), rng.Next(220, 256))      // BGR orange to yellow
            : new Scalar(rng.Next(20, 140), rng.Next(20, 140), rng.Next(20, 140));     // muted colours
        Cv2.Rectangle(frame, r, new Scalar(40, 40, 50), -1);
        Cv2.Rectangle(frame, new Rect(r.X, r.Y + (r.Height / 5), r.Width, r.Height * 2 / 5), torso, -1);
        using var noise = new Mat(r.Height, r.Width, MatType.CV_8UC3);
        Cv2.Randu(noise, Scalar.All(0), Scalar.All(30));
        using var roi = new Mat(frame, r);
        Cv2.Add(roi, noise, roi);
    }

    private static ImageSet SyntheticSet(int count, int seed)
    {
        var rng = new Random(seed);
        var layout = CropLayout.Unit(Size, Size, 3);
        using var batcher = new CropBatcher(layout);
        using var canvas = new Mat(80, 40, MatType.CV_8UC3);
        var pixels = new float[count * layout.Length];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            canvas.SetTo(new Scalar(rng.Next(60, 200), rng.Next(60, 200), rng.Next(60, 200)));
            var person = new Rect(rng.Next(0, 6), rng.Next(0, 8), rng.Next(28, 34), rng.Next(66, 72));
            PaintPerson(canvas, person, labels[i] == 0, rng);
            // The crop a detector would give: the person plus a few pixels of background.
            Assert.True(batcher.Write(canvas, new BoxF(person.X - 2, person.Y - 2, person.Right + 2, person.Bottom + 2), pixels.AsSpan(i * layout.Length, layout.Length)));
        }
        return new ImageSet(pixels, labels, 3, Size, Names);
    }

    private static string TrainAndExport()
    {
        var spec = new ClassifierSpec(ClassifierArchitecture.SmallCnn, 3, Size, Names, Width: 8);
        string dir = TestData.NewTempDir("secondary");
        var options = new ClassifierTrainOptions
        {
            Epochs = 3,
            BatchSize = 32,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.005,
            Threads = 1,
            Seed = 1,
            OutputDir = dir,
            Patience = 0,
            Shift = 1,
            Jitter = 0,
        };
        var result = new ClassifierTrainer(spec, options).Train(SyntheticSet(192, seed: 1), SyntheticSet(64, seed: 2));
        Assert.True(result.BestEvaluation.Accuracy > 0.9, $"synthetic vest accuracy {result.BestEvaluation.Accuracy:P1}");
        var (model, checkpoint) = ClassifierTrainer.Load(result.BestWeights);
        using var _ = model;
        string path = Path.Combine(dir, "vest.onnx");
        File.WriteAllBytes(path, ClassifierOnnxExporter.ToBytes(model, checkpoint.Spec));
        return path;
    }

    [Fact]
    public void Exported_classifier_labels_tracks_and_the_smoothed_label_survives_an_occlusion()
    {
        string path = TrainAndExport();
        using var classifier = new SecondaryClassifier(path, maxBatch: 4, intraOpThreads: 1);
        Assert.Equal(Names, classifier.Names);
        Assert.Equal((3, Size, Size), (classifier.Layout.Channels, classifier.Layout.Height, classifier.Layout.Width));
        using var stage = new ClassificationAnalyzer(classifier, new ClassificationOptions { Classes = [0], EveryFrames = 2, MinVotes = 3 });

        var rng = new Random(5);
        using var frame = new Mat(240, 320, MatType.CV_8UC3);
        var result = new FrameResult();
        var raw = new float[2];
        var valid = new bool[1];
        int rawOtherDuringOcclusion = 0;
        for (int f = 0; f < 30; f++)
        {
            frame.SetTo(new Scalar(120, 130, 110));
            var vest = new Rect(40 + (2 * f), 60, 32, 70);
            var other = new Rect(220 - f, 70, 30, 68);
            PaintPerson(frame, vest, vest: true, rng);
            PaintPerson(frame, other, vest: false, rng);
            bool occluded = f is >= 10 and <= 14;
            if (occluded)
            {
                // Someone in a dark coat passes in front of the vest wearer.
                Cv2.Rectangle(frame, new Rect(vest.X - 4, vest.Y, vest.Width + 8, vest.Height), new Scalar(30, 30, 35), -1);
            }
            var vestBox = new BoxF(vest.X - 2, vest.Y - 2, vest.Right + 2, vest.Bottom + 2);
            var otherBox = new BoxF(other.X - 2, other.Y - 2, other.Right + 2, other.Bottom + 2);
            result.Begin(new FrameStamp(f, f / 10.0), 320, 240);
            result.Detections.Add(new Edge.Detection.Detection(vestBox, 0.9f, 0));
            result.Detections.Add(new Edge.Detection.Detection(otherBox, 0.9f, 0));
            result.Tracks.Add(new TrackView(1, vestBox, 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0));
            result.Tracks.Add(new TrackView(2, otherBox, 0.9f, 0, TrackState.Confirmed, 0, 1, 0, 0));
            stage.Analyze(result, frame);

            if (occluded)
            {
                classifier.Classify(frame, [vestBox], raw, valid);
                rawOtherDuringOcclusion += raw[1] > raw[0] ? 1 : 0;
            }
            // Classified at frames 0, 2, 4, ...: the third vote arrives at frame 4.
            if (f < 4)
            {
                Assert.All(result.Tracks, t => Assert.Null(t.Label));
                continue;
            }
            Assert.Equal("hi-vis", result.Tracks[0].Label);
            Assert.Equal("other", result.Tracks[1].Label);
            Assert.InRange(result.Tracks[0].LabelConfidence, 0.5f, 1f);
            Assert.Equal(f % 2 == 0 ? 2 : 0, result.ClassifiedCrops);
        }
        // The occluded crops alone read as "other": only the per-track mean keeps the label stable.
        Assert.True(rawOtherDuringOcclusion >= 3, $"raw 'other' verdicts during the occlusion: {rawOtherDuringOcclusion} of 5");
        Assert.Equal(30, stage.Crops);
    }
}
