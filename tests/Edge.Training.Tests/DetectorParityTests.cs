using Edge.Tests;
using Edge.Training.Detection;
using Edge.Training.Native;
using Edge.Training.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Edge.Training.Tests;

public sealed class DetectorParityTests
{
    [Fact]
    public void Imported_yolov8n_reproduces_onnx_runtime_on_the_same_input()
    {
        TorchRuntime.Initialize(threads: 2);
        string path = TestData.Model("yolov8n_w8dq.onnx");
        var bundle = YoloOnnxImporter.Load(path);
        using var model = bundle.Model;
        Assert.Equal(80, model.NumClasses);
        Assert.Equal("person", bundle.ClassNames[0]);
        Assert.Equal(640, bundle.ImageSize);

        manual_seed(11);
        using var x = rand(1, 3, 640, 640);
        float[] expected;
        using (no_grad())
        {
            using var y = model.forward(x);
            Assert.Equal([1L, 84, 8400], y.shape);
            expected = y.data<float>().ToArray();
        }
        var (actual, shape) = OnnxRuntimeRunner.Run(File.ReadAllBytes(path), x.data<float>().ToArray(), [1, 3, 640, 640]);
        Assert.Equal([1, 84, 8400], shape);
        // Box rows are in pixels (up to 640): 1e-3 absolute is ~1.5e-6 relative, float32 accumulation-order noise.
        float diff = OnnxRuntimeRunner.MaxAbsDiff(expected, actual);
        Assert.True(diff < 1e-3f, $"max abs diff {diff}");
    }

    [Fact]
    public void A_narrowed_coco_export_imports_back_with_its_80_wide_class_branch()
    {
        // Fine-tuned person detectors start from the COCO model narrowed to one class: their class branch stays 80 wide
        // (a fresh 1-class YOLOv8n would have 64), and `edge-train val` must still import their export.
        TorchRuntime.Initialize(threads: 2);
        using var coco = YoloOnnxImporter.Load(TestData.Model("yolov8n_w8dq.onnx")).Model;
        using var person = coco.KeepClasses([0]);
        person.eval();
        Assert.Equal(80, person.Head.ClassWidth);
        string path = Path.Combine(TestData.NewTempDir("narrowed-import"), "person.onnx");
        DetectorOnnxExporter.Export(new DetectorBundle(person, ["person"], 96), path);

        var back = YoloOnnxImporter.Load(path);
        using var imported = back.Model;
        Assert.Equal(1, imported.NumClasses);
        Assert.Equal(80, imported.Head.ClassWidth);
        Assert.Equal(["person"], back.ClassNames);
        manual_seed(3);
        using var x = rand(1, 3, 96, 96);
        using (no_grad())
        {
            using var a = person.forward(x);
            using var b = imported.forward(x);
            float diff = OnnxRuntimeRunner.MaxAbsDiff(a.data<float>().ToArray(), b.data<float>().ToArray());
            Assert.True(diff < 1e-3f, $"max abs diff {diff}");
        }
    }

    [Theory]
    [InlineData("n")]
    [InlineData("s")]
    public void Exported_detector_matches_torchsharp_on_random_inputs(string scaleName)
    {
        TorchRuntime.Initialize(threads: 2);
        manual_seed(5);
        // Unfused (Conv-BN-SiLU) model at 96 px with non-trivial BN statistics: checks BN folding, C2f split, SPPF,
        // nearest upsampling, the PAN concats and the DFL decode.
        using var model = new YoloV8(YoloScale.Parse(scaleName), numClasses: 2);
        model.train();
        using (no_grad())
        {
            using var warm = rand(2, 3, 96, 96);
            model.forward(warm).Dispose();
        }
        model.eval();
        using var x = rand(1, 3, 96, 96);
        float[] expected;
        using (no_grad())
        {
            using var y = model.forward(x);
            expected = y.data<float>().ToArray();
        }
        byte[] onnx = DetectorOnnxExporter.ToBytes(new DetectorBundle(model, ["person", "bike"], 96));
        var (actual, shape) = OnnxRuntimeRunner.Run(onnx, x.data<float>().ToArray(), [1, 3, 96, 96]);
        // 96 px: 12² + 6² + 3² = 189 anchors, 4 box rows + 2 classes.
        Assert.Equal([1, 6, 189], shape);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), OnnxRuntimeRunner.Floats(model.Head.DflWeight));
        OnnxRuntimeRunner.AssertFinite(expected, "TorchSharp forward");
        OnnxRuntimeRunner.AssertFinite(actual, "ONNX Runtime");
        float diff = OnnxRuntimeRunner.MaxAbsDiff(expected, actual);
        Assert.True(diff < 1e-4f, $"max abs diff {diff}");

        using var session = new InferenceSession(onnx);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("detect", meta["task"]);
        Assert.Equal("{0: 'person', 1: 'bike'}", meta["names"]);
        Assert.Equal("[96, 96]", meta["imgsz"]);
        Assert.Equal("32", meta["stride"]);
    }

    [Fact]
    public void Names_metadata_parses_like_ultralytics_writes_it()
    {
        var names = YoloOnnxImporter.ParseNames("{0: 'person', 1: 'traffic light', 2: 'it\\'s'}", 3);
        Assert.Equal(["person", "traffic light", "it\\'s"], names);
    }
}
