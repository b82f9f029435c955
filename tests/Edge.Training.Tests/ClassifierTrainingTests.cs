using Edge.Tests;
using Edge.Training.Classification;
using Edge.Training.Data;
using Edge.Training.Models;
using Edge.Training.Native;
using Edge.Training.Onnx;
using Edge.Training.Optimization;
using static TorchSharp.torch;

namespace Edge.Training.Tests;

public sealed class ClassifierTrainingTests
{
    [Fact]
    public void Label_smoothing_mixes_the_true_class_loss_with_the_mean_over_classes()
    {
        // Logits [2, 0, 0], label 0: with Z = e² + 2, the per-class losses are −log p = ln Z − 2, ln Z, ln Z, and the
        // smoothed loss is (1 − ε)(ln Z − 2) + ε · mean(ln Z − 2, ln Z, ln Z).
        TorchRuntime.Initialize(threads: 1);
        using var logits = tensor(new float[] { 2, 0, 0 }, [1, 3]);
        using var label = tensor(new long[] { 0 }, [1]);
        double lnZ = Math.Log(Math.Exp(2) + 2);
        using var plain = ClassifierTrainer.TrainingLoss(logits, label, 0);
        using var smoothed = ClassifierTrainer.TrainingLoss(logits, label, 0.1);
        Assert.Equal(lnZ - 2, plain.item<float>(), 4);
        Assert.Equal((0.9 * (lnZ - 2)) + (0.1 * ((3 * lnZ) - 2) / 3), smoothed.item<float>(), 4);
    }

    [Fact]
    public void Digits_grid_has_500_images_per_class_in_row_blocks()
    {
        var set = DigitsGrid.Load(TestData.Shared("data", "images", "digits.png"));
        Assert.Equal(5000, set.Count);
        Assert.Equal(20, set.Size);
        // 100 columns per row, 5 rows per digit: image 0 is a 0, image 499 the last 0, image 500 the first 1.
        Assert.Equal(0, set.Labels[499]);
        Assert.Equal(1, set.Labels[500]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(500, set.Labels.Count(l => l == c)));
        var (train, val) = set.Split(0.8, seed: 0);
        Assert.Equal(4000, train.Count);
        Assert.Equal(1000, val.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(100, val.Labels.Count(l => l == c)));
    }

    [Fact]
    public void Short_run_learns_digits_and_the_export_predicts_the_same()
    {
        var all = DigitsGrid.Load(TestData.Shared("data", "images", "digits.png"));
        var (trainFull, valFull) = all.Split(0.8, seed: 0);
        // A small budget: the 4000 training images, two epochs of batch 64 (126 Adam steps), a narrow network.
        var train = trainFull;
        var val = valFull.Subset(Enumerable.Range(0, valFull.Count).Where(i => i % 2 == 0).ToArray());
        var spec = new ClassifierSpec(ClassifierArchitecture.SmallCnn, 1, 20, all.ClassNames, Width: 16);
        string dir = TestData.NewTempDir("classify");
        var options = new ClassifierTrainOptions { Epochs = 2, BatchSize = 64, Optimizer = OptimizerKind.Adam, LearningRate = 0.002, Threads = 1, Seed = 1, OutputDir = dir, Patience = 0 };

        var result = new ClassifierTrainer(spec, options).Train(train, val);

        // Chance is 10%; require 4x chance (observed 59-90% depending on which tests ran before in the process).
        Assert.True(result.BestEvaluation.Accuracy > 0.4, $"accuracy {result.BestEvaluation.Accuracy:P1}");
        Assert.True(File.Exists(Path.Combine(dir, "results.png")));
        Assert.True(File.Exists(Path.Combine(dir, "confusion_matrix.png")));
        Assert.True(File.Exists(Path.Combine(dir, "results.csv")));

        var (model, checkpoint) = ClassifierTrainer.Load(result.BestWeights);
        using var _ = model;
        byte[] onnx = ClassifierOnnxExporter.ToBytes(model, checkpoint.Spec);
        var (probs, shape) = OnnxRuntimeRunner.Run(onnx, val.Pixels, [val.Count, 1, 20, 20]);
        int agree = 0;
        for (int i = 0; i < val.Count; i++)
        {
            int best = 0;
            for (int c = 1; c < 10; c++)
            {
                best = probs[(i * 10) + c] > probs[(i * 10) + best] ? c : best;
            }
            agree += best == result.BestEvaluation.Predictions[i] ? 1 : 0;
        }
        Assert.Equal([val.Count, 10], shape);
        Assert.Equal(val.Count, agree);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Resume_continues_from_the_last_epoch()
    {
        var all = DigitsGrid.Load(TestData.Shared("data", "images", "digits.png"));
        var small = all.Subset(Enumerable.Range(0, all.Count).Where(i => i % 25 == 0).ToArray());
        var (train, val) = small.Split(0.8, seed: 0);
        var spec = new ClassifierSpec(ClassifierArchitecture.SmallCnn, 1, 20, all.ClassNames, Width: 4);
        string dir = TestData.NewTempDir("resume");
        var first = new ClassifierTrainOptions { Epochs = 1, BatchSize = 40, Threads = 1, OutputDir = dir, Patience = 0 };
        new ClassifierTrainer(spec, first).Train(train, val);
        var second = first with { Epochs = 2, Resume = true };
        var result = new ClassifierTrainer(spec, second).Train(train, val);
        var last = ClassifierCheckpoint.Load(ClassifierCheckpoint.MetadataPath(result.LastWeights));
        Assert.Equal(2, last.Epoch);
        Assert.Equal([1, 2], last.History.Select(h => h.Epoch));
        Assert.Equal(2 * ((train.Count + 39) / 40), last.Step);
        Directory.Delete(dir, recursive: true);
    }
}
