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
        TorchRuntime.Initialize(threads: 2);
        string video = TestData.VideoPath;
        string dir = TestData.NewTempDir("detect-roundtrip");
        string data = Path.Combine(dir, "data");
        PennFudanConverter.Convert(TestData.Shared("data", "pennfudan"), data);
        var train = YoloDataset.Load(data, "train").Take(4).ToList();
        var val = YoloDataset.Load(data, "val").Take(2).ToList();
        var coco = YoloOnnxImporter.Load(TestData.Model("yolov8n_w8dq.onnx"));
        using var full = coco.Model;
        using var person = full.KeepClasses([0]);
        var options = new DetectorTrainOptions
        {
            Epochs = 1,
            BatchSize = 2,
            ImageSize = 160,
            MaxSteps = 2,
            LearningRate = 1e-4,
            EvaluateBaseline = false,
            OutputDir = Path.Combine(dir, "run"),
        };
        var result = new DetectorTrainer(options).Train(new DetectorBundle(person, ["person"], 160), train, val);
        Assert.Equal(2, result.Last.Step);
        Assert.True(File.Exists(Path.Combine(dir, "run", "results.png")));

        var trained = DetectorCheckpoint.LoadModel(result.BestWeights);
        string onnx = Path.Combine(dir, "person160.onnx");
        using (trained.Model)
        {
            Assert.Equal(1, trained.Model.NumClasses);
            DetectorOnnxExporter.Export(trained, onnx);
        }

        string jsonl = Path.Combine(dir, "vtest.jsonl");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int exit;
        try
        {
            exit = await CliErrors.RunAsync(EdgeCommands.CreateRoot(), ["detect", "--source", video, "--model", onnx, "--out", jsonl, "--max-frames", "3"]);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
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

        using var detector = YoloDetector.Create(new DetectorOptions { Model = onnx, ScoreThreshold = 0.001f, IouThreshold = 0.7f, IntraOpThreads = 2 });
        var predictions = new List<IReadOnlyList<Det>>();
        foreach (var sample in val)
        {
            using var image = Cv2.ImRead(sample.ImagePath, ImreadModes.Color);
            var list = new List<Det>();
            detector.Detect(image, list);
            predictions.Add(list);
        }
        var edge = DetectionMap.Compute(val.Select(s => new LabelledImage(s.Boxes, s.Classes)).ToList(), predictions);
        Assert.True(torch.Map.Map50 > 0.9, $"TorchSharp mAP50 {torch.Map.Map50}");
        Assert.True(Math.Abs(edge.Map50 - torch.Map.Map50) < 0.005, $"mAP50 edge {edge.Map50:F4} vs torch {torch.Map.Map50:F4}");
        Assert.True(Math.Abs(edge.Map50To95 - torch.Map.Map50To95) < 0.005, $"mAP50-95 edge {edge.Map50To95:F4} vs torch {torch.Map.Map50To95:F4}");
    }
}
