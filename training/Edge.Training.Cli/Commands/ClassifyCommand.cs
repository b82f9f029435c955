using System.CommandLine;
using Edge.Training.Classification;
using Edge.Training.Models;
using Edge.Training.Onnx;
using Edge.Training.Optimization;
using Spectre.Console;

namespace Edge.Training.Cli.Commands;

/// <summary>`edge-train classify`: trains a classifier with checkpoints, curves and a confusion matrix.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Digits grid image (e.g. digits.png) or a folder with one sub-folder per class.", Required = true };
        var model = new Option<ClassifierArchitecture>("--model") { Description = "SmallCnn or ResNet.", DefaultValueFactory = _ => ClassifierArchitecture.SmallCnn };
        var imgsz = new Option<int>("--imgsz") { Description = "Square input size for image folders (digits are 20).", DefaultValueFactory = _ => 64 };
        var channels = new Option<int>("--channels") { Description = "1 (grey) or 3 (RGB) for image folders.", DefaultValueFactory = _ => 3 };
        var width = new Option<int>("--width") { Description = "Base channel width of the network.", DefaultValueFactory = _ => 32 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 15 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64 };
        var optimizer = new Option<OptimizerKind>("--optimizer") { Description = "Sgd or Adam.", DefaultValueFactory = _ => OptimizerKind.Sgd };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate (cosine decay to lr*0.01).", DefaultValueFactory = _ => 0.05 };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without val improvement (0 = off).", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var split = new Option<double>("--split") { Description = "Training fraction of the stratified, seeded split.", DefaultValueFactory = _ => 0.8 };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads.", DefaultValueFactory = _ => 2 };
        var shift = new Option<int>("--shift") { Description = "Augmentation: random translation in pixels.", DefaultValueFactory = _ => 2 };
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε of the cross-entropy (Szegedy et al. 2016; 0 = off).", DefaultValueFactory = _ => 0.0 };
        var jitter = new Option<double>("--jitter") { Description = "Augmentation: brightness/contrast jitter amplitude.", DefaultValueFactory = _ => 0.1 };
        var fliplr = new Option<double>("--fliplr") { Description = "Horizontal flip probability (0 for digits).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Run folder.", DefaultValueFactory = _ => Path.Combine("runs", "classify", "train") };
        var resume = new Option<bool>("--resume") { Description = "Continue from <out>/weights/last.pt." };
        var export = new Option<bool>("--export") { Description = "Also export best.pt to <out>/weights/best.onnx." };

        var command = new Command("classify", "Train an image classifier (small CNN or ResNet-style).");
        foreach (var o in new Option[] { data, model, imgsz, channels, width, epochs, batch, optimizer, lr, patience, seed, split, threads, shift, jitter, labelSmoothing, fliplr, output, resume, export })
        {
            command.Options.Add(o);
        }
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var all = ClassificationData.Load(parse.GetValue(data)!, parse.GetValue(imgsz), parse.GetValue(channels));
            var (train, val) = all.Split(parse.GetValue(split), parse.GetValue(seed));
            var spec = new ClassifierSpec(parse.GetValue(model), all.Channels, all.Size, all.ClassNames, parse.GetValue(width));
            var options = new ClassifierTrainOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Optimizer = parse.GetValue(optimizer),
                LearningRate = parse.GetValue(lr),
                Patience = parse.GetValue(patience),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                FlipLr = parse.GetValue(fliplr),
                Shift = parse.GetValue(shift),
                Jitter = parse.GetValue(jitter),
                LabelSmoothing = parse.GetValue(labelSmoothing) is >= 0 and < 1 ? parse.GetValue(labelSmoothing) : throw new EdgeException("--label-smoothing is in [0, 1)"),
                OutputDir = parse.GetValue(output)!,
                Resume = parse.GetValue(resume),
            };
            AnsiConsole.MarkupLineInterpolated($"[bold]classify[/] {spec.Architecture}: {train.Count} train / {val.Count} val images, {spec.NumClasses} classes, {spec.Channels}x{spec.ImageSize}x{spec.ImageSize}");
            var result = TrainingConsole.Run(options.Epochs, progress => new ClassifierTrainer(spec, options).Train(train, val, progress, ct));
            AnsiConsole.MarkupLineInterpolated($"best val accuracy [green]{result.Best.BestAccuracy:P2}[/] at epoch {result.Best.BestEpoch}{(result.StoppedEarly ? " (early stop)" : "")}");
            AnsiConsole.MarkupLineInterpolated($"weights {result.BestWeights}, curves {Path.Combine(options.OutputDir, "results.png")}, confusion {Path.Combine(options.OutputDir, "confusion_matrix.png")}");
            if (parse.GetValue(export))
            {
                var (best, checkpoint) = ClassifierTrainer.Load(result.BestWeights);
                string onnx = Path.ChangeExtension(result.BestWeights, ".onnx");
                ClassifierOnnxExporter.Export(best, checkpoint.Spec, onnx);
                best.Dispose();
                AnsiConsole.MarkupLineInterpolated($"exported {onnx}");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
