using System.Text.RegularExpressions;
using Edge.Training.Onnx;
using static TorchSharp.torch;

namespace Edge.Training.Detection;

/// <summary>A detector with its class names and input size.</summary>
public sealed record DetectorBundle(YoloV8 Model, IReadOnlyList<string> ClassNames, int ImageSize);

/// <summary>
/// Builds a fused <see cref="YoloV8"/> from an Ultralytics YOLOv8 ONNX export by copying its initializers onto the
/// parameters of the same name (Ultralytics exports fold BN into biased convs, and keep the PyTorch module names).
/// The scale comes from the first conv's width, the class count from the class branch's last bias.
/// </summary>
public static partial class YoloOnnxImporter
{
    public static DetectorBundle Load(string path)
    {
        var onnx = new OnnxInitializers(path);
        if (!onnx.TryGet("model.0.conv.weight", out long[] stem, out _) || !onnx.TryGet("model.22.cv3.0.2.bias", out long[] clsBias, out _))
        {
            throw new EdgeException($"{path}: not an FP32 Ultralytics YOLOv8 export (no float initializers model.0.conv.weight / model.22.cv3.0.2.bias; INT8 files must be dequantized first)");
        }
        var scale = stem[0] switch
        {
            16 => YoloScale.N,
            32 => YoloScale.S,
            _ => throw new EdgeException($"{path}: stem width {stem[0]} matches no supported YOLOv8 scale (n: 16, s: 32)"),
        };
        int nc = (int)clsBias[0];
        // The class branch width follows the class count at creation (max(c, min(nc, 100))), so a COCO model narrowed
        // to a few classes (KeepClasses, then fine-tuned and exported) keeps its 80-wide branch: read it from the file.
        int classWidth = onnx.TryGet("model.22.cv3.0.0.conv.weight", out long[] cls0, out _) ? (int)cls0[0] : 0;
        var model = new YoloV8(scale, nc, fused: true, classWidth: classWidth);
        var used = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (!onnx.TryGet(name, out long[] dims, out float[] values))
                {
                    throw new EdgeException($"{path}: no initializer '{name}' for parameter of shape [{string.Join(',', parameter.shape)}]");
                }
                if (!dims.SequenceEqual(parameter.shape))
                {
                    throw new EdgeException($"{path}: initializer '{name}' has shape [{string.Join(',', dims)}], model expects [{string.Join(',', parameter.shape)}]");
                }
                using var source = tensor(values, dims);
                parameter.copy_(source);
                used.Add(name);
            }
        }
        var unused = onnx.Names.Where(n => WeightName().IsMatch(n) && !used.Contains(n)).ToList();
        if (unused.Count > 0)
        {
            throw new EdgeException($"{path}: {unused.Count} weights have no place in YOLOv8{scale.Name} (first: {unused[0]})");
        }
        model.eval();
        int imgsz = ParseImageSize(onnx.Metadata.GetValueOrDefault("imgsz"), path);
        var names = ParseNames(onnx.Metadata.GetValueOrDefault("names"), nc);
        return new DetectorBundle(model, names, imgsz);
    }

    /// <summary>"{0: 'person', 1: 'bicycle'}" → ["person", "bicycle"]; numbered "class0.." when absent.</summary>
    public static IReadOnlyList<string> ParseNames(string? text, int nc)
    {
        var names = Enumerable.Range(0, nc).Select(i => $"class{i}").ToArray();
        if (text is null)
        {
            return names;
        }
        foreach (Match m in NameEntry().Matches(text))
        {
            int i = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (i >= 0 && i < nc)
            {
                names[i] = m.Groups[2].Value;
            }
        }
        return names;
    }

    private static int ParseImageSize(string? text, string path)
    {
        var m = text is null ? null : ImageSize().Match(text);
        return m is { Success: true } ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : text is null ? 640 : throw new EdgeException($"{path}: cannot read imgsz '{text}'");
    }

    [GeneratedRegex(@"^model\.\d+\..*(weight|bias)$")]
    private static partial Regex WeightName();

    [GeneratedRegex(@"(\d+):\s*'((?:[^'\\]|\\.)*)'")]
    private static partial Regex NameEntry();

    [GeneratedRegex(@"\[\s*(\d+)")]
    private static partial Regex ImageSize();
}
