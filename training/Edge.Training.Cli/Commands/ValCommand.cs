using System.CommandLine;
using Edge.Training.Classification;
using Edge.Training.Data;
using Edge.Training.Detection;
using Edge.Training.Native;
using Edge.Training.Plots;
using Spectre.Console;

namespace Edge.Training.Cli.Commands;

/// <summary>`edge-train val`: accuracy and confusion matrix of a classifier checkpoint on the validation split.</summary>
public static class ValCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "Checkpoint (best.pt with best.json beside it).", Required = true };
        var data = new Option<string>("--data") { Description = "Digits grid image or class folder.", Required = true };
        var split = new Option<double>("--split") { Description = "Training fraction used at training time (0 = evaluate every image).", DefaultValueFactory = _ => 0.8 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "Folder for confusion_matrix.png (classifiers) or the converted labels (detectors).", DefaultValueFactory = _ => Path.Combine("runs", "val") };
        var imgsz = new Option<int>("--imgsz") { Description = "Detectors: square input size (0 = the checkpoint's, or 640 for ONNX).", DefaultValueFactory = _ => 0 };
        var engine = new Option<string>("--engine") { Description = "Detectors: torch (TorchSharp; an .onnx is imported into it) or edge (an exported .onnx run by Edge.Vision's YoloDetector on ONNX Runtime, at the model's own input size).", DefaultValueFactory = _ => "torch" };
        engine.AcceptOnlyFromAmong("torch", "edge");
        var command = new Command("val", "Validate a classifier (accuracy, confusion matrix) or a detector (mAP50, mAP50-95 on the val split; an Ultralytics ONNX is narrowed to the data set's classes).");
        foreach (var o in new Option[] { weights, data, split, seed, threads, output, imgsz, engine })
        {
            command.Options.Add(o);
        }
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            TorchRuntime.Initialize(parse.GetValue(threads));
            string w = parse.GetValue(weights)!;
            if (string.Equals(Path.GetExtension(w), ".onnx", StringComparison.OrdinalIgnoreCase) || DetectorCheckpoint.IsDetector(w))
            {
                return Task.FromResult(parse.GetValue(engine) == "edge"
                    ? ValidateOnEdge(w, parse.GetValue(data)!, parse.GetValue(threads), parse.GetValue(output)!, ct)
                    : ValidateDetector(w, parse.GetValue(data)!, parse.GetValue(imgsz), parse.GetValue(output)!, ct));
            }
            var (model, checkpoint) = ClassifierTrainer.Load(parse.GetValue(weights)!);
            using var _ = model;
            var spec = checkpoint.Spec;
            var all = ClassificationData.Load(parse.GetValue(data)!, spec.ImageSize, spec.Channels);
            var set = parse.GetValue(split) is > 0 and < 1 ? all.Split(parse.GetValue(split), parse.GetValue(seed)).Val : all;
            var eval = ClassifierEvaluation.Run(model, set);
            var table = new Table().AddColumns("class", "images", "recall");
            for (int c = 0; c < spec.NumClasses; c++)
            {
                int total = Enumerable.Range(0, spec.NumClasses).Sum(p => eval.Confusion[c, p]);
                table.AddRow(spec.ClassNames[c], total.ToString(System.Globalization.CultureInfo.InvariantCulture), total == 0 ? "-" : $"{(double)eval.Confusion[c, c] / total:P1}");
            }
            AnsiConsole.Write(table);
            string png = Path.Combine(parse.GetValue(output)!, "confusion_matrix.png");
            ConfusionMatrixPlot.Save(eval.Confusion, spec.ClassNames, png);
            AnsiConsole.MarkupLineInterpolated($"{set.Count} images: accuracy [green]{eval.Accuracy:P2}[/], loss {eval.Loss:F4}; {png}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static int ValidateOnEdge(string onnx, string data, int threads, string outDir, CancellationToken ct)
    {
        if (!string.Equals(Path.GetExtension(onnx), ".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new EdgeException($"--engine edge runs an exported .onnx, not {onnx}");
        }
        Directory.CreateDirectory(outDir);
        string root = DetectionData.ResolveDataset(data, outDir);
        var val = YoloDataset.Load(root, "val");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var map = EdgeVisionEvaluation.Run(onnx, val, threads, ct);
        AnsiConsole.MarkupLineInterpolated($"{Path.GetFileName(onnx)} in Edge.Vision (ONNX Runtime) on {val.Count} val images: mAP50 [green]{map.Map50:P2}[/], mAP50-95 [green]{map.Map50To95:P2}[/] ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    private static int ValidateDetector(string weights, string data, int imageSize, string outDir, CancellationToken ct)
    {
        Directory.CreateDirectory(outDir);
        string root = DetectionData.ResolveDataset(data, outDir);
        var names = DetectionData.ClassNames(root);
        int size = imageSize > 0 ? imageSize
            : string.Equals(Path.GetExtension(weights), ".onnx", StringComparison.OrdinalIgnoreCase) ? 640
            : DetectorCheckpoint.Load(Path.ChangeExtension(weights, ".json")).Spec.ImageSize;
        var bundle = DetectionData.LoadDetector(weights, names, size);
        using var model = bundle.Model;
        var val = YoloDataset.Load(root, "val");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = DetectorEvaluation.Run(model, val, size, ct: ct);
        AnsiConsole.MarkupLineInterpolated($"{Path.GetFileName(weights)} at {size} px on {result.Images} val images / {result.Boxes} boxes ({string.Join(", ", names)}): mAP50 [green]{result.Map.Map50:P2}[/], mAP50-95 [green]{result.Map.Map50To95:P2}[/] ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }
}
