using System.Globalization;
using Edge.Training.Models;
using Google.Protobuf;
using static TorchSharp.torch;

namespace Edge.Training.Onnx;

/// <summary>
/// Writes a classifier as ONNX the way Ultralytics exports classifiers: input "images" [batch, C, H, W] float32,
/// output "output0" [batch, nc] softmax probabilities, metadata_props task=classify, names "{0: 'a', ...}", imgsz.
/// </summary>
public static class ClassifierOnnxExporter
{
    public static void Export(nn.Module<Tensor, Tensor> model, ClassifierSpec spec, string path, OnnxPrecision precision = OnnxPrecision.Float32)
    {
        File.WriteAllBytes(path, ToBytes(model, spec, precision));
    }

    public static byte[] ToBytes(nn.Module<Tensor, Tensor> model, ClassifierSpec spec, OnnxPrecision precision = OnnxPrecision.Float32)
    {
        model.eval();
        var g = new OnnxGraphBuilder(precision);
        var exporter = new OnnxModuleExporter(g);
        string x = g.Input("images", -1, spec.Channels, spec.ImageSize, spec.ImageSize);
        string logits;
        using (NewDisposeScope()) // keeps the walk's temporaries rooted (see DetectorOnnxExporter)
        {
            logits = exporter.ExportChain(model.named_children().ToList(), x, "model");
        }
        string probs = g.Node("Softmax", [logits], OnnxGraphBuilder.Int("axis", 1));
        g.Output(probs, "output0", -1, spec.NumClasses);
        var meta = new Dictionary<string, string>
        {
            ["author"] = "Edge",
            ["description"] = $"Edge {spec.Architecture} classifier",
            ["version"] = typeof(ClassifierOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            ["task"] = "classify",
            ["arch"] = spec.Architecture.ToString(),
            ["batch"] = "1",
            ["channels"] = spec.Channels.ToString(CultureInfo.InvariantCulture),
            ["imgsz"] = $"[{spec.ImageSize}, {spec.ImageSize}]",
            ["names"] = FormatNames(spec.ClassNames),
            ["precision"] = precision == OnnxPrecision.Float16 ? "fp16" : "fp32",
        };
        return g.Build(meta).ToByteArray();
    }

    /// <summary>Python-dict style names as Ultralytics writes them: {0: 'person', 1: 'car'}.</summary>
    public static string FormatNames(IReadOnlyList<string> names) =>
        "{" + string.Join(", ", names.Select((n, i) => $"{i}: '{n.Replace("'", "\\'", StringComparison.Ordinal)}'")) + "}";
}
