using System.Diagnostics;
using Edge.Geometry;
using Edge.Training.Data;
using Edge.Training.Detection.Loss;
using Edge.Training.Native;
using Edge.Training.Optimization;
using Edge.Training.Plots;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Edge.Training.Detection;

/// <summary>What a detector run produced.</summary>
public sealed record DetectorTrainResult(DetectorCheckpoint Last, string BestWeights, string LastWeights);

/// <summary>
/// Fine-tunes a <see cref="YoloV8"/> on a YOLO data set: seeded shuffles and augmentation (the data order and every
/// augmentation come from the seed and the epoch, and torch is reseeded each epoch, so a resumed run continues the
/// same sequence), the YOLOv8 loss, AdamW or SGD with linear warm-up and a per-step cosine schedule, gradient norm
/// clipping at 10, validation mAP after every epoch, best/last checkpoints (best by Ultralytics' fitness
/// 0.1·mAP50 + 0.9·mAP50-95), results.csv and results.png.
/// </summary>
public sealed class DetectorTrainer(DetectorTrainOptions options)
{
    public DetectorTrainResult Train(DetectorBundle start, IReadOnlyList<DetectionSample> train, IReadOnlyList<DetectionSample> val,
        IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        TorchRuntime.Initialize(options.Threads);
        var model = start.Model;
        var spec = DetectorSpec.Of(model, start.ClassNames, options.ImageSize);
        var run = new TrainingRunFolder(options.OutputDir);
        string lastPt = run.LastWeights, bestPt = run.BestWeights;

        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        var optimizer = OptimizerFactory.Create(options.Optimizer, parameters, options.LearningRate, options.Momentum, options.WeightDecay);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var schedule = new CosineSchedule(options.LearningRate, options.FinalLearningRateFraction, (long)options.Epochs * batches);
        var history = new List<DetectorEpochMetrics>();
        DetectorEpochMetrics? baseline = null;
        int startEpoch = 1, bestEpoch = 0;
        double bestFitness = -1;
        long step = 0;
        if (options.Resume)
        {
            var state = DetectorCheckpoint.Load(Path.ChangeExtension(lastPt, ".json"));
            if (state.Spec.NumClasses != spec.NumClasses || state.Spec.Scale != spec.Scale)
            {
                throw new EdgeException($"{lastPt}: checkpoint is YOLOv8{state.Spec.Scale} with {state.Spec.NumClasses} classes, not YOLOv8{spec.Scale} with {spec.NumClasses}");
            }
            run.RestoreLast(model, optimizer);
            history.AddRange(state.History);
            (startEpoch, bestFitness, bestEpoch, step, baseline) = (state.Epoch + 1, state.BestFitness, state.BestEpoch, state.Step, state.Baseline);
        }
        else if (options.EvaluateBaseline)
        {
            var clock = Stopwatch.StartNew();
            var before = DetectorEvaluation.Run(model, val, options.ImageSize, ct: ct);
            baseline = new DetectorEpochMetrics(0, double.NaN, double.NaN, double.NaN, before.Map.Map50, before.Map.Map50To95, 0, val.Count / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
        }

        var loss = new DetectionLoss(model.NumClasses);
        using var augmenter = new DetectionAugmenter(options.ImageSize, options.Augmentation);
        var images = LoadImages(train, options.ImageSize);
        MosaicTile Tile(int i) => new(images[i].Image, images[i].Boxes, train[i].Classes);
        int length = 3 * options.ImageSize * options.ImageSize;
        var pixels = new float[options.BatchSize * length];
        try
        {
            for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
            {
                ct.ThrowIfCancellationRequested();
                manual_seed(options.Seed + epoch);
                var rng = new Random(unchecked((options.Seed * 1_000_003) + epoch));
                int[] order = Enumerable.Range(0, train.Count).ToArray();
                rng.Shuffle(order);
                bool mosaic = options.MosaicAt(epoch); // no extra random draws when off: earlier runs replay unchanged
                model.train();
                var clock = Stopwatch.StartNew();
                double boxSum = 0, clsSum = 0, dflSum = 0;
                int seen = 0, done = 0;
                for (int b = 0; b < batches; b++)
                {
                    ct.ThrowIfCancellationRequested();
                    int n = Math.Min(options.BatchSize, train.Count - (b * options.BatchSize));
                    var targets = new List<DetectionTarget>(n);
                    for (int i = 0; i < n; i++)
                    {
                        int index = order[(b * options.BatchSize) + i];
                        var boxes = mosaic && rng.NextDouble() < options.Augmentation.Mosaic
                            ? augmenter.RenderMosaic([Tile(index), Tile(rng.Next(train.Count)), Tile(rng.Next(train.Count)), Tile(rng.Next(train.Count))], rng, pixels.AsSpan(i * length, length))
                            : augmenter.Render(images[index].Image, images[index].Boxes, train[index].Classes, rng, pixels.AsSpan(i * length, length));
                        targets.Add(new DetectionTarget(boxes.Select(x => (x.Box.X1, x.Box.Y1, x.Box.X2, x.Box.Y2)).ToList(), boxes.Select(x => x.ClassId).ToList()));
                    }
                    double lr = schedule.At(step) * (options.WarmupSteps > 0 ? Math.Min(1.0, (step + 1.0) / options.WarmupSteps) : 1.0);
                    OptimizerFactory.SetLearningRate(optimizer, lr);
                    using (var scope = NewDisposeScope())
                    {
                        var x = tensor(pixels.AsSpan(0, n * length).ToArray(), [n, 3, options.ImageSize, options.ImageSize]);
                        optimizer.zero_grad();
                        using var parts = loss.Compute(model.ForwardRaw(x), targets);
                        parts.Total.backward();
                        nn.utils.clip_grad_norm_(parameters, 10.0);
                        optimizer.step();
                        (boxSum, clsSum, dflSum) = (boxSum + (parts.Box * n), clsSum + (parts.Class * n), dflSum + (parts.Dfl * n));
                    }
                    seen += n;
                    done = b + 1;
                    step++;
                    progress?.Report(new TrainingProgress(epoch, options.Epochs, done, batches, (boxSum + clsSum + dflSum) / seen, seen / clock.Elapsed.TotalSeconds, null));
                    if (options.MaxSteps > 0 && step >= options.MaxSteps)
                    {
                        break;
                    }
                }
                double trainSeconds = clock.Elapsed.TotalSeconds;
                var eval = DetectorEvaluation.Run(model, val, options.ImageSize, ct: ct);
                var metrics = new DetectorEpochMetrics(epoch, boxSum / Math.Max(1, seen), clsSum / Math.Max(1, seen), dflSum / Math.Max(1, seen),
                    eval.Map.Map50, eval.Map.Map50To95, schedule.At(step), seen / trainSeconds, clock.Elapsed.TotalSeconds);
                history.Add(metrics);
                double fitness = (0.1 * eval.Map.Map50) + (0.9 * eval.Map.Map50To95);
                if (fitness > bestFitness)
                {
                    (bestFitness, bestEpoch) = (fitness, epoch);
                    model.save(bestPt);
                    new DetectorCheckpoint(DetectorCheckpoint.DetectTask, spec, epoch, bestFitness, bestEpoch, step, baseline, history).Save(Path.ChangeExtension(bestPt, ".json"));
                }
                run.SaveLast(model, optimizer);
                new DetectorCheckpoint(DetectorCheckpoint.DetectTask, spec, epoch, bestFitness, bestEpoch, step, baseline, history).Save(Path.ChangeExtension(lastPt, ".json"));
                WriteResults(run, history, baseline);
                DetectorCurvePlot.Save(history, baseline, Path.Combine(options.OutputDir, "results.png"));
                progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, metrics.BoxLoss + metrics.ClassLoss + metrics.DflLoss, metrics.ImagesPerSecond,
                    new EpochMetrics(epoch, metrics.BoxLoss + metrics.ClassLoss + metrics.DflLoss, double.NaN, metrics.Map50, metrics.LearningRate, metrics.ImagesPerSecond, metrics.Seconds)));
                if (options.MaxSteps > 0 && step >= options.MaxSteps)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var image in images)
            {
                image.Image.Dispose();
            }
        }
        return new DetectorTrainResult(DetectorCheckpoint.Load(Path.ChangeExtension(lastPt, ".json")), bestPt, lastPt);
    }

    /// <summary>Decodes every training image once, shrunk so its long side is at most 1.5x the input (the largest zoom
    /// the augmentation uses), which keeps memory small and the per-step resample cheap; boxes are scaled with it.</summary>
    private static List<(SKImage Image, IReadOnlyList<BoxF> Boxes)> LoadImages(IReadOnlyList<DetectionSample> samples, int imageSize)
    {
        var images = new List<(SKImage, IReadOnlyList<BoxF>)>(samples.Count);
        foreach (var s in samples)
        {
            using var bitmap = SKBitmap.Decode(s.ImagePath) ?? throw new EdgeException($"{s.ImagePath}: not a readable image");
            float r = (float)Math.Min(1.0, 1.5 * imageSize / Math.Max(bitmap.Width, bitmap.Height));
            if (r < 1)
            {
                var info = new SKImageInfo((int)Math.Round(bitmap.Width * r), (int)Math.Round(bitmap.Height * r), SKColorType.Rgba8888, SKAlphaType.Premul);
                using var small = bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
                float sx = (float)info.Width / bitmap.Width, sy = (float)info.Height / bitmap.Height;
                images.Add((SKImage.FromBitmap(small), s.Boxes.Select(b => new BoxF(b.X1 * sx, b.Y1 * sy, b.X2 * sx, b.Y2 * sy)).ToList()));
            }
            else
            {
                images.Add((SKImage.FromBitmap(bitmap), s.Boxes));
            }
        }
        return images;
    }

    private static void WriteResults(TrainingRunFolder run, IReadOnlyList<DetectorEpochMetrics> history, DetectorEpochMetrics? baseline) =>
        run.WriteResults("epoch,box_loss,cls_loss,dfl_loss,map50,map50_95,lr,images_per_s,seconds", ["F0", "F5", "F5", "F5", "F5", "F5", "G5", "F1", "F2"],
            (baseline is null ? history : history.Prepend(baseline)).Select(m => new[] { m.Epoch, m.BoxLoss, m.ClassLoss, m.DflLoss, m.Map50, m.Map50To95, m.LearningRate, m.ImagesPerSecond, m.Seconds }));
}
