using System.CommandLine;
using Edge.Training.Data;
using Edge.Training.Detection;
using Edge.Training.Native;
using Edge.Training.Onnx;
using Edge.Training.Optimization;
using Spectre.Console;

namespace Edge.Training.Cli.Commands;

/// <summary>`edge-train detect`: fine-tunes a YOLOv8 detector from Ultralytics ONNX weights on a YOLO / Penn-Fudan
/// data set, with the mAP of the starting weights, checkpoints, curves and an optional ONNX export.</summary>
public static class DetectCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Penn-Fudan folder (converted to YOLO labels in <out>/data) or a YOLO data set (images/, labels/, data.yaml).", Required = true };
        var init = new Option<string>("--init") { Description = "Starting weights: an Ultralytics YOLOv8 FP32 .onnx, or its name in EDGE_MODELS_DIR.", DefaultValueFactory = _ => "yolov8n_w8dq" };
        var imgsz = new Option<int>("--imgsz") { Description = "Square training and validation size (multiple of 32).", DefaultValueFactory = _ => 320 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 8 };
        var optimizer = new Option<OptimizerKind>("--optimizer") { Description = "AdamW, Adam or Sgd.", DefaultValueFactory = _ => OptimizerKind.AdamW };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (linear warm-up, cosine decay to lr*0.01).", DefaultValueFactory = _ => 0.001 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads.", DefaultValueFactory = _ => 2 };
        var scale = new Option<double>("--scale") { Description = "Augmentation: random zoom ±fraction.", DefaultValueFactory = _ => 0.5 };
        var translate = new Option<double>("--translate") { Description = "Augmentation: random shift ±fraction of the size.", DefaultValueFactory = _ => 0.1 };
        var fliplr = new Option<double>("--fliplr") { Description = "Augmentation: horizontal flip probability.", DefaultValueFactory = _ => 0.5 };
        var hsv = new Option<double[]>("--hsv") { Description = "Augmentation: HSV gains h s v.", DefaultValueFactory = _ => [0.015, 0.7, 0.4], AllowMultipleArgumentsPerToken = true };
        var mosaic = new Option<double>("--mosaic") { Description = "Augmentation: probability of a 4-image mosaic sample (Ultralytics uses 1.0).", DefaultValueFactory = _ => 0.0 };
        var closeMosaic = new Option<int>("--close-mosaic") { Description = "Turn mosaic off for this many final epochs.", DefaultValueFactory = _ => 0 };
        var maxSteps = new Option<long>("--max-steps") { Description = "Stop after this many optimizer steps (0 = all epochs); for smoke runs." };
        var output = new Option<string>("--out") { Description = "Run folder.", DefaultValueFactory = _ => Path.Combine("runs", "detect", "train") };
        var resume = new Option<bool>("--resume") { Description = "Continue from <out>/weights/last.pt." };
        var export = new Option<bool>("--export") { Description = "Also export best.pt to <out>/weights/best.onnx." };
        var command = new Command("detect", "Fine-tune a YOLOv8 detector (TAL assigner, CIoU + DFL + BCE loss) and report mAP50 / mAP50-95 before and after.");
        foreach (var o in new Option[] { data, init, imgsz, epochs, batch, optimizer, lr, warmup, seed, threads, scale, translate, fliplr, hsv, mosaic, closeMosaic, maxSteps, output, resume, export })
        {
            command.Options.Add(o);
        }
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            string outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            TorchRuntime.Initialize(parse.GetValue(threads));
            string root = DetectionData.ResolveDataset(parse.GetValue(data)!, outDir);
            var names = DetectionData.ClassNames(root);
            var train = YoloDataset.Load(root, "train");
            var val = YoloDataset.Load(root, "val");
            int size = parse.GetValue(imgsz);
            var start = DetectionData.LoadDetector(DetectionData.ResolveModel(parse.GetValue(init)!), names, size);
            using var model = start.Model;
            double[] gains = parse.GetValue(hsv)!;
            if (gains.Length != 3)
            {
                throw new EdgeException($"--hsv takes three gains (h s v), got {gains.Length}");
            }
            if (parse.GetValue(mosaic) is < 0 or > 1 || parse.GetValue(closeMosaic) < 0)
            {
                throw new EdgeException("--mosaic is a probability in [0, 1] and --close-mosaic a number of epochs >= 0");
            }
            var options = new DetectorTrainOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                ImageSize = size,
                Optimizer = parse.GetValue(optimizer),
                LearningRate = parse.GetValue(lr),
                WarmupSteps = parse.GetValue(warmup),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Augmentation = new DetectionAugmentation(parse.GetValue(scale), parse.GetValue(translate), parse.GetValue(fliplr), gains[0], gains[1], gains[2], parse.GetValue(mosaic)),
                CloseMosaic = parse.GetValue(closeMosaic),
                MaxSteps = parse.GetValue(maxSteps),
                OutputDir = outDir,
                Resume = parse.GetValue(resume),
            };
            AnsiConsole.MarkupLineInterpolated($"[bold]detect[/] YOLOv8{model.Scale.Name} ({string.Join(", ", names)}): {train.Count} train / {val.Count} val images, {size} px");
            var result = TrainingConsole.Run(options.Epochs, progress => new DetectorTrainer(options).Train(start, train, val, progress, ct), "mAP50");
            var last = result.Last;
            if (last.Baseline is { } b)
            {
                AnsiConsole.MarkupLineInterpolated($"before (epoch 0): mAP50 {b.Map50:P2}, mAP50-95 {b.Map50To95:P2}");
            }
            var best = last.History.First(h => h.Epoch == last.BestEpoch);
            AnsiConsole.MarkupLineInterpolated($"best (epoch {best.Epoch}): mAP50 [green]{best.Map50:P2}[/], mAP50-95 [green]{best.Map50To95:P2}[/]; mean {last.History.Average(h => h.Seconds):F1} s/epoch");
            AnsiConsole.MarkupLineInterpolated($"weights {result.BestWeights}, curves {Path.Combine(outDir, "results.png")}");
            if (parse.GetValue(export))
            {
                var bundle = DetectorCheckpoint.LoadModel(result.BestWeights);
                using var exported = bundle.Model;
                string onnx = Path.ChangeExtension(result.BestWeights, ".onnx");
                DetectorOnnxExporter.Export(bundle, onnx);
                AnsiConsole.MarkupLineInterpolated($"exported {onnx}");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
