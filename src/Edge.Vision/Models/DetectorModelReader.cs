using Edge.Detection;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Models;

/// <summary>What a loaded detector session needs beyond <see cref="ModelInfo"/>: tensor names and the decoder shape.</summary>
public sealed record DetectorModel(ModelInfo Info, LayoutChoice Layout, string InputName, string OutputName, bool DynamicBatch);

/// <summary>Builds <see cref="ModelInfo"/> for a detector session: ONNX metadata_props first (Ultralytics names, imgsz,
/// stride, task, end2end), the manifest entry second, tensor shapes last, with COCO-80 names as the fallback when the
/// head has 80 classes and nothing names them. The layout comes from <see cref="LayoutSelector"/>, never the file name.</summary>
public static class DetectorModelReader
{
    public const string ExpectedShapes =
        "one float input [B, 3, H, W] and a first output of [B, 4+nc, N], [B, N, 5+nc] or [B, K, 6]";

    public static DetectorModel Read(InferenceSession session, string path, ModelManifestEntry? manifest)
    {
        string file = Path.GetFileName(path);
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
        {
            throw new EdgeException($"Model '{path}' has inputs [{Describe(session.InputMetadata)}] and outputs [{Describe(session.OutputMetadata)}]; a detector needs {ExpectedShapes}.");
        }
        (string inputName, NodeMetadata input) = session.InputMetadata.First();
        (string outputName, NodeMetadata output) = session.OutputMetadata.First();
        int[] inDims = input.Dimensions;
        if (!input.IsTensor || input.ElementType != typeof(float) || inDims.Length != 4 || inDims[1] != 3)
        {
            throw new EdgeException($"Model '{path}': input '{inputName}' is {Describe(input)}; a detector needs {ExpectedShapes}.");
        }

        var meta = UltralyticsMetadata.Parse(session.ModelMetadata.CustomMetadataMap);
        (int width, int height) = InputSize(inDims, meta, manifest);
        bool dynamicBatch = inDims[0] <= 0;
        int batch = dynamicBatch ? 1 : inDims[0];

        var evidence = new LayoutEvidence(
            file,
            [.. output.Dimensions.Select(d => (long)d)],
            width,
            height,
            DeclaredLayout: manifest?.Layout,
            MetadataClassCount: meta.Names?.Count,
            IsUltralytics: meta.IsUltralytics,
            EndToEnd: meta.EndToEnd);
        LayoutChoice layout;
        try
        {
            layout = LayoutSelector.Select(evidence);
        }
        catch (EdgeException ex)
        {
            throw new EdgeException($"{ex.Message} The file '{path}' does not look like a detector (input '{inputName}' {Describe(input)}, output '{outputName}' {Describe(output)}); expected {ExpectedShapes}.", ex);
        }

        int nc = layout.NumClasses > 0 ? layout.NumClasses : meta.Names?.Count ?? 80;
        IReadOnlyList<string> names = meta.Names is { } mn && mn.Count == nc ? mn
            : nc == CocoClasses.Names.Count ? CocoClasses.Names
            : [.. Enumerable.Range(0, nc).Select(i => $"class{i}")];
        PixelFormat pixels = meta.IsUltralytics ? PixelFormat.Rgb01Centered
            : manifest?.Pixels ?? (layout.Layout == DetectorLayout.YoloXGrid ? PixelFormat.Bgr255TopLeft : PixelFormat.Rgb01Centered);
        int stride = meta.Stride ?? 32;
        string task = meta.Task ?? manifest?.Task ?? "detect";

        var info = new ModelInfo(
            Path.GetFileNameWithoutExtension(path), path, width, height, batch, names, layout.Layout, pixels, stride, task);
        return new DetectorModel(info, layout with { NumClasses = nc }, inputName, outputName, dynamicBatch);
    }

    /// <summary>The network input size (width, height) that <see cref="Read"/> will report, read before the real
    /// session exists: the TensorRT engine cache is keyed by it and must be opened before the session is built. Uses a
    /// CPU session without graph optimisation, which only parses the graph (no provider, no engine build).</summary>
    public static (int Width, int Height) ReadInputSize(string path, ModelManifestEntry? manifest)
    {
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new EdgeException($"Model '{path}' could not be read by ONNX Runtime: {ex.Message}", ex);
        }
        using (session)
        {
            int[] dims = session.InputMetadata.Count == 1 ? session.InputMetadata.First().Value.Dimensions : [];
            if (dims.Length != 4)
            {
                throw new EdgeException($"Model '{path}' has inputs [{Describe(session.InputMetadata)}]; a detector needs {ExpectedShapes}.");
            }
            return InputSize(dims, UltralyticsMetadata.Parse(session.ModelMetadata.CustomMetadataMap), manifest);
        }
    }

    /// <summary>Fixed NCHW dims first, then Ultralytics imgsz, then the manifest, then 640.</summary>
    private static (int Width, int Height) InputSize(int[] inDims, UltralyticsMetadata meta, ModelManifestEntry? manifest) =>
        (inDims[3] > 0 ? inDims[3] : meta.InputWidth ?? ManifestInput(manifest, 0) ?? 640,
         inDims[2] > 0 ? inDims[2] : meta.InputHeight ?? ManifestInput(manifest, 1) ?? 640);

    private static int? ManifestInput(ModelManifestEntry? m, int index) =>
        m?.Input is { Length: 2 } a ? a[index] : null;

    private static string Describe(NodeMetadata n) =>
        $"{(n.IsTensor ? n.ElementType.Name : n.OnnxValueType.ToString())} [{string.Join(", ", n.Dimensions)}]";

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        string.Join("; ", nodes.Select(kv => $"'{kv.Key}' {Describe(kv.Value)}"));
}
