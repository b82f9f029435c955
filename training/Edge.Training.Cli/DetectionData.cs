using Edge.Training.Data;
using Edge.Training.Detection;

namespace Edge.Training.Cli;

/// <summary>Resolves the detector verbs' --data and --init: a Penn-Fudan folder (converted to YOLO labels under the run
/// folder, images linked, never copied) or a YOLO data set (images/{train,val}, labels/{train,val}); an ONNX file
/// path or a model name looked up in EDGE_MODELS_DIR.</summary>
internal static class DetectionData
{
    public static string ResolveDataset(string data, string workDir)
    {
        if (Directory.Exists(Path.Combine(data, "Annotation")) && Directory.Exists(Path.Combine(data, "PNGImages")))
        {
            string root = Path.Combine(workDir, "data");
            PennFudanConverter.Convert(data, root);
            return root;
        }
        if (Directory.Exists(Path.Combine(data, "images")))
        {
            return data;
        }
        throw new EdgeException($"--data: {data} is neither a Penn-Fudan folder (Annotation/, PNGImages/) nor a YOLO data set (images/, labels/)");
    }

    /// <summary>Class names of a YOLO data set from data.yaml ("  0: person" lines); "person" when there is none.</summary>
    public static IReadOnlyList<string> ClassNames(string root)
    {
        string yaml = Path.Combine(root, "data.yaml");
        if (!File.Exists(yaml))
        {
            return ["person"];
        }
        var names = File.ReadLines(yaml).SkipWhile(l => !l.StartsWith("names:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith(' ')).Select(l => l.Split(':', 2)[1].Trim().Trim('\'', '"')).ToList();
        return names.Count > 0 ? names : ["person"];
    }

    public static string ResolveModel(string init)
    {
        if (File.Exists(init))
        {
            return init;
        }
        string dir = Environment.GetEnvironmentVariable("EDGE_MODELS_DIR") is { Length: > 0 } d ? d : "models";
        string path = Path.Combine(dir, init.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? init : init + ".onnx");
        return File.Exists(path) ? path : throw new EdgeException($"--init: no file {init} and no {path} (set EDGE_MODELS_DIR)");
    }

    /// <summary>Loads a detector: Edge's own checkpoint (.pt with its .json), or an Ultralytics ONNX narrowed to the
    /// data set's classes by name (the COCO "person" row for Penn-Fudan), keeping their pretrained scores.</summary>
    public static DetectorBundle LoadDetector(string weights, IReadOnlyList<string> classNames, int imageSize)
    {
        if (!string.Equals(Path.GetExtension(weights), ".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var own = DetectorCheckpoint.LoadModel(weights);
            return own with { ImageSize = imageSize };
        }
        var bundle = YoloOnnxImporter.Load(weights);
        if (bundle.ClassNames.SequenceEqual(classNames))
        {
            return bundle with { ImageSize = imageSize };
        }
        var keep = classNames.Select(n => bundle.ClassNames.ToList().IndexOf(n)).ToList();
        if (keep.Any(k => k < 0))
        {
            throw new EdgeException($"{weights}: has no class '{classNames[keep.IndexOf(-1)]}' (its classes: {string.Join(", ", bundle.ClassNames.Take(10))}...)");
        }
        using var full = bundle.Model;
        var narrowed = full.KeepClasses(keep);
        narrowed.eval();
        return new DetectorBundle(narrowed, classNames, imageSize);
    }
}
