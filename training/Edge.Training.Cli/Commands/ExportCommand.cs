using System.CommandLine;
using Edge.Training.Classification;
using Edge.Training.Detection;
using Edge.Training.Native;
using Edge.Training.Onnx;
using Spectre.Console;

namespace Edge.Training.Cli.Commands;

/// <summary>`edge-train export`: checkpoint → ONNX (FP32, or FP16 weights/activations with float32 I/O).</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "Classifier or detector checkpoint (best.pt with best.json beside it), or an Ultralytics YOLOv8 FP32 .onnx to rebuild in TorchSharp and re-export.", Required = true };
        var output = new Option<string?>("--out") { Description = "ONNX file (default: beside the weights)." };
        var half = new Option<bool>("--half") { Description = "FP16 weights and activations (inputs/outputs stay float32)." };
        var command = new Command("export", "Export a trained model to ONNX (pure .NET, BatchNorm folded into Conv).");
        command.Options.Add(weights);
        command.Options.Add(output);
        command.Options.Add(half);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            string w = parse.GetValue(weights)!;
            string path = parse.GetValue(output) ?? Path.ChangeExtension(w, parse.GetValue(half) ? ".fp16.onnx" : ".onnx");
            var precision = parse.GetValue(half) ? OnnxPrecision.Float16 : OnnxPrecision.Float32;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            if (string.Equals(Path.GetExtension(w), ".onnx", StringComparison.OrdinalIgnoreCase))
            {
                if (parse.GetValue(output) is null)
                {
                    throw new EdgeException("--out is required when --weights is an .onnx file");
                }
                TorchRuntime.Initialize(2);
                var bundle = YoloOnnxImporter.Load(w);
                using var detector = bundle.Model;
                DetectorOnnxExporter.Export(bundle, path, precision);
                AnsiConsole.MarkupLineInterpolated($"exported YOLOv8{detector.Scale.Name} ({detector.NumClasses} classes, {bundle.ImageSize} px) to {path}");
                return Task.FromResult(0);
            }
            if (DetectorCheckpoint.IsDetector(w))
            {
                TorchRuntime.Initialize(2);
                var trained = DetectorCheckpoint.LoadModel(w);
                using var detector = trained.Model;
                DetectorOnnxExporter.Export(trained, path, precision);
                AnsiConsole.MarkupLineInterpolated($"exported YOLOv8{detector.Scale.Name} ({string.Join(", ", trained.ClassNames)}, {trained.ImageSize} px) to {path}");
                return Task.FromResult(0);
            }
            var (model, checkpoint) = ClassifierTrainer.Load(w);
            using var _ = model;
            ClassifierOnnxExporter.Export(model, checkpoint.Spec, path, precision);
            AnsiConsole.MarkupLineInterpolated($"exported {path} ({new FileInfo(path).Length / 1024.0:F0} KiB)");
            return Task.FromResult(0);
        });
        return command;
    }
}
