using System.Diagnostics;
using Edge.Training.Data;
using Edge.Training.Models;
using Edge.Training.Native;
using Edge.Training.Optimization;
using Edge.Training.Plots;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Classification;

/// <summary>What a finished run produced.</summary>
public sealed record ClassifierTrainResult(ClassifierCheckpoint Best, string BestWeights, string LastWeights, ClassifierEvaluation BestEvaluation, bool StoppedEarly);

/// <summary>
/// Supervised classifier training: seeded shuffles and augmentation (the same seed gives the same run; a resumed run
/// continues exactly, since every epoch reseeds torch and the data order from seed + epoch), cross-entropy, SGD or Adam,
/// per-step cosine schedule, early stopping on validation accuracy, checkpoints every epoch, curves and a confusion matrix.
/// </summary>
public sealed class ClassifierTrainer(ClassifierSpec spec, ClassifierTrainOptions options)
{
    public ClassifierTrainResult Train(ImageSet train, ImageSet val, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        TorchRuntime.Initialize(options.Threads);
        var run = new TrainingRunFolder(options.OutputDir);
        string lastPt = run.LastWeights, bestPt = run.BestWeights;

        manual_seed(options.Seed);
        using var model = ClassifierFactory.Create(spec);
        var optimizer = OptimizerFactory.Create(options.Optimizer, model.parameters(), options.LearningRate, options.Momentum, options.WeightDecay);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var schedule = new CosineSchedule(options.LearningRate, options.FinalLearningRateFraction, (long)options.Epochs * batches);

        var history = new List<EpochMetrics>();
        int startEpoch = 1, bestEpoch = 0;
        double bestAccuracy = -1;
        long step = 0;
        if (options.Resume)
        {
            var state = ClassifierCheckpoint.Load(ClassifierCheckpoint.MetadataPath(lastPt));
            if (state.Spec.Architecture != spec.Architecture || state.Spec.NumClasses != spec.NumClasses)
            {
                throw new EdgeException($"{lastPt}: checkpoint is {state.Spec.Architecture} with {state.Spec.NumClasses} classes, not {spec.Architecture} with {spec.NumClasses}");
            }
            run.RestoreLast(model, optimizer);
            history.AddRange(state.History);
            (startEpoch, bestAccuracy, bestEpoch, step) = (state.Epoch + 1, state.BestAccuracy, state.BestEpoch, state.Step);
        }

        var augmenter = new ClassifierAugmenter(options.Shift, options.FlipLr, options.Jitter);
        var batchPixels = new float[options.BatchSize * train.ImageLength];
        var batchLabels = new long[options.BatchSize];
        bool stoppedEarly = false;
        for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            manual_seed(options.Seed + epoch);
            var rng = new Random(unchecked((options.Seed * 1_000_003) + epoch)); // HashCode.Combine is randomised per process
            int[] order = Enumerable.Range(0, train.Count).ToArray();
            rng.Shuffle(order);
            model.train();
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int seen = 0;
            for (int b = 0; b < batches; b++)
            {
                ct.ThrowIfCancellationRequested();
                int n = Math.Min(options.BatchSize, train.Count - (b * options.BatchSize));
                for (int i = 0; i < n; i++)
                {
                    int index = order[(b * options.BatchSize) + i];
                    augmenter.Apply(train.Image(index), batchPixels.AsSpan(i * train.ImageLength, train.ImageLength), train.Channels, train.Size, rng);
                    batchLabels[i] = train.Labels[index];
                }
                OptimizerFactory.SetLearningRate(optimizer, schedule.At(step));
                using (var scope = NewDisposeScope())
                {
                    var x = tensor(batchPixels.AsSpan(0, n * train.ImageLength).ToArray(), [n, train.Channels, train.Size, train.Size]);
                    var y = tensor(batchLabels.AsSpan(0, n).ToArray(), [n]);
                    optimizer.zero_grad();
                    var loss = TrainingLoss(model.forward(x), y, options.LabelSmoothing);
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>() * n;
                }
                seen += n;
                step++;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, lossSum / seen, seen / clock.Elapsed.TotalSeconds, null));
                if (options.MaxSteps > 0 && step >= options.MaxSteps)
                {
                    break;
                }
            }

            var eval = ClassifierEvaluation.Run(model, val);
            var metrics = new EpochMetrics(epoch, lossSum / Math.Max(1, seen), eval.Loss, eval.Accuracy, schedule.At(step), seen / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            if (eval.Accuracy > bestAccuracy)
            {
                (bestAccuracy, bestEpoch) = (eval.Accuracy, epoch);
                model.save(bestPt);
                new ClassifierCheckpoint(spec, epoch, bestAccuracy, bestEpoch, step, history).Save(ClassifierCheckpoint.MetadataPath(bestPt));
            }
            run.SaveLast(model, optimizer);
            new ClassifierCheckpoint(spec, epoch, bestAccuracy, bestEpoch, step, history).Save(ClassifierCheckpoint.MetadataPath(lastPt));
            WriteResults(run, history);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, metrics.TrainLoss, metrics.ImagesPerSecond, metrics));

            if (options.MaxSteps > 0 && step >= options.MaxSteps)
            {
                break;
            }
            if (options.Patience > 0 && epoch - bestEpoch >= options.Patience)
            {
                stoppedEarly = true;
                break;
            }
        }

        model.load(bestPt);
        var best = ClassifierEvaluation.Run(model, val);
        TrainingCurvePlot.Save(history, Path.Combine(options.OutputDir, "results.png"));
        ConfusionMatrixPlot.Save(best.Confusion, spec.ClassNames, Path.Combine(options.OutputDir, "confusion_matrix.png"));
        return new ClassifierTrainResult(ClassifierCheckpoint.Load(ClassifierCheckpoint.MetadataPath(bestPt)), bestPt, lastPt, best, stoppedEarly);
    }

    /// <summary>Cross-entropy against smoothed targets (1 − ε)·one-hot + ε/K.</summary>
    public static Tensor TrainingLoss(Tensor logits, Tensor labels, double labelSmoothing) =>
        nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);

    /// <summary>Loads a classifier from weights plus its JSON (written by <see cref="Train"/>).</summary>
    public static (nn.Module<Tensor, Tensor> Model, ClassifierCheckpoint Checkpoint) Load(string weightsPath)
    {
        if (!File.Exists(weightsPath))
        {
            throw new EdgeException($"weights not found: {weightsPath}");
        }
        TorchRuntime.Initialize();
        var checkpoint = ClassifierCheckpoint.Load(ClassifierCheckpoint.MetadataPath(weightsPath));
        var model = ClassifierFactory.Create(checkpoint.Spec);
        model.load(weightsPath);
        model.eval();
        return (model, checkpoint);
    }

    private static void WriteResults(TrainingRunFolder run, IReadOnlyList<EpochMetrics> history) =>
        run.WriteResults("epoch,train_loss,val_loss,val_accuracy,lr,images_per_s,seconds", ["F0", "F5", "F5", "F5", "G5", "F1", "F2"],
            history.Select(m => new[] { m.Epoch, m.TrainLoss, m.ValLoss, m.ValAccuracy, m.LearningRate, m.ImagesPerSecond, m.Seconds }));
}
