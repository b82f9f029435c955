using System.Text.Json;
using Edge.Cli;
using Edge.Detection;
using Edge.Tests;
using Edge.Training.Data;
using Edge.Training.Detection;
using Edge.Training.Metrics;
using Edge.Training.Native;
using Edge.Training.Onnx;
using OpenCvSharp;
using Det = Edge.Detection.Detection;
using EdgeVisionEvaluation = Edge.Training.Cli.EdgeVisionEvaluation;
using TrainingCommands = Edge.Training.Cli.TrainingCommands;

namespace Edge.Training.Tests;

/// <summary>Train → export → run on the device path: the exported detector goes through `edge detect` (in process,
/// the executable's root command) and Edge.Vision's YoloDetector. Console redirection is process-wide, so this class
/// runs alone.</summary>
[Collection(nameof(DetectorRoundTripTests))]
[CollectionDefinition(nameof(DetectorRoundTripTests), DisableParallelization = true)]
public sealed class DetectorRoundTripTests
{
    [Fact]
    public async Task Tiny_fine_tune_exports_a_detector_that_edge_detect_runs_on_vtest()
    {
        string video = TestData.VideoPath;
        string dir = TestData.NewTempDir("detect-roundtrip");
        string run = Path.Combine(dir, "run");
        // edge-train detect on Penn-Fudan at 160 px, two optimizer steps of batch 2, exported at the end.
        var (trainExit, trainOut, trainError) = await ConsoleCapture.RunAsync(TrainingCommands.RunAsync,
            ["detect", "--data", TestData.Shared("data", "pennfudan"), "--init", TestData.Model("yolov8n_w8dq.onnx"), "--imgsz", "160",
             "--epochs", "1", "--batch", "2", "--max-steps", "2", "--lr", "0.0001", "--threads", "2", "--out", run, "--export"]);
        Assert.True(trainExit == 0, $"edge-train exit {trainExit}: {trainError}");
        Assert.Contains("before (epoch 0): mAP50", trainOut);
        var checkpoint = DetectorCheckpoint.Load(Path.Combine(run, "weights", "last.json"));
        Assert.Equal(2, checkpoint.Step);
        Assert.Equal(1, checkpoint.Spec.NumClasses);
        Assert.Equal(160, checkpoint.Spec.ImageSize);
        Assert.True(File.Exists(Path.Combine(run, "results.png")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "results.csv")).Length); // header, epoch 0 (before), epoch 1
        string onnx = Path.Combine(run, "weights", "best.onnx");

        string jsonl = Path.Combine(dir, "vtest.jsonl");
        var (exit, _, stderr) = await ConsoleCapture.RunAsync(EdgeCommands.RunAsync,
            ["detect", "--source", video, "--model", onnx, "--out", jsonl, "--max-frames", "3"]);
        Assert.True(exit == 0, $"edge exit {exit}: {stderr}");
        string[] lines = File.ReadAllLines(jsonl);
        Assert.Equal(3, lines.Length);
        using var frame0 = JsonDocument.Parse(lines[0]);
        var people = frame0.RootElement.GetProperty("detections").EnumerateArray().ToList();
        // The plaza's first frame has three people (models README); a broken export finds none or garbage classes.
        Assert.NotEmpty(people);
        Assert.All(people, d => Assert.Equal("person", d.GetProperty("name").GetString()));
    }

    [Fact]
    public void Exported_detector_scores_the_same_map_in_edge_vision_as_in_torchsharp()
    {
        // The COCO model narrowed to person at 320 px: mAP from TorchSharp (DetectorEvaluation) and from the exported
        // ONNX run by Edge.Vision's YoloDetector on OpenCV-decoded images must agree within 0.5 point.
        TorchRuntime.Initialize(threads: 2);
        string dir = TestData.NewTempDir("detect-parity");
        string data = Path.Combine(dir, "data");
        PennFudanConverter.Convert(TestData.Shared("data", "pennfudan"), data);
        var val = YoloDataset.Load(data, "val");
        var coco = YoloOnnxImporter.Load(TestData.Model("yolov8n_w8dq.onnx"));
        using var full = coco.Model;
        using var person = full.KeepClasses([0]);
        var torch = DetectorEvaluation.Run(person, val, 320);
        string onnx = Path.Combine(dir, "person320.onnx");
        DetectorOnnxExporter.Export(new DetectorBundle(person, ["person"], 320), onnx);

        var edge = EdgeVisionEvaluation.Run(onnx, val);
        Assert.True(torch.Map.Map50 > 0.9, $"TorchSharp mAP50 {torch.Map.Map50}");
        Assert.True(Math.Abs(edge.Map50 - torch.Map.Map50) < 0.005, $"mAP50 edge {edge.Map50:F4} vs torch {torch.Map.Map50:F4}");
        Assert.True(Math.Abs(edge.Map50To95 - torch.Map.Map50To95) < 0.005, $"mAP50-95 edge {edge.Map50To95:F4} vs torch {torch.Map.Map50To95:F4}");
    }
}
