using System.Globalization;
using Edge.Training.Detection;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Edge.Training.Onnx;

/// <summary>
/// Writes a YOLOv8 detector the way Ultralytics exports it, so it drops into EDGE_MODELS_DIR unchanged: input "images"
/// float32 [1, 3, S, S] (RGB 0..1, letterboxed), output "output0" [1, 4+nc, N] (cx, cy, w, h in input pixels, then
/// sigmoid scores), metadata_props names "{0: 'person'}", imgsz "[S, S]", stride, task "detect", author, version.
/// </summary>
public static class DetectorOnnxExporter
{
    public static void Export(DetectorBundle bundle, string path, OnnxPrecision precision = OnnxPrecision.Float32) =>
        File.WriteAllBytes(path, ToBytes(bundle, precision));

    public static byte[] ToBytes(DetectorBundle bundle, OnnxPrecision precision = OnnxPrecision.Float32)
    {
        var (model, names, size) = bundle;
        if (size % 32 != 0)
        {
            throw new EdgeException($"detector image size must be a multiple of 32, got {size}");
        }
        model.eval();
        var g = new OnnxGraphBuilder(precision);
        string images = g.Input("images", 1, 3, size, size);
        string output;
        // Every temporary tensor of the walk (views, folded weights) stays in this scope until the walk ends: an
        // unrooted temporary can be finalised while a native call still reads it, which gave garbage weights under
        // GC pressure from concurrent tests.
        using (NewDisposeScope())
        {
            output = model.ExportOnnx(new OnnxModuleExporter(g), images, size);
        }
        long anchors = DetectHead.Strides.Sum(s => (long)(size / s) * (size / s));
        g.Output(output, "output0", 1, 4 + model.NumClasses, anchors);
        var meta = new Dictionary<string, string>
        {
            ["description"] = $"Edge YOLOv8{model.Scale.Name} detector",
            ["author"] = "Edge",
            ["date"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["version"] = typeof(DetectorOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            ["task"] = "detect",
            ["head"] = "Detect",
            ["stride"] = "32",
            ["batch"] = "1",
            ["channels"] = "3",
            ["end2end"] = "False",
            ["imgsz"] = $"[{size}, {size}]",
            ["names"] = ClassifierOnnxExporter.FormatNames(names),
            ["precision"] = precision == OnnxPrecision.Float16 ? "fp16" : "fp32",
        };
        return g.Build(meta).ToByteArray();
    }
}
