using Edge.Geometry;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>Person re-identification embeddings from an ONNX model such as OSNet x0.25 (Zhou et al., ICCV 2019;
/// <c>osnet_x0_25_msmt17.onnx</c>, models README): crops stretched to 128×256, RGB, ImageNet-normalised, one
/// vector per crop (512 for OSNet), L2-normalised here so cosine similarity is a dot product. Note OSNet's vectors
/// are non-negative (it ends in ReLU), so unrelated people still score 0.3–0.6; the README measured 0.65–0.70 as
/// the same/different boundary on vtest.avi.</summary>
public sealed class OnnxReidEmbedder : IAppearanceEmbedder
{
    /// <summary>Default input size when the model leaves it dynamic (torchreid's 256×128).</summary>
    public const int DefaultHeight = 256;
    public const int DefaultWidth = 128;

    private readonly CropModelRunner _runner;

    public OnnxReidEmbedder(string path, int maxBatch = 16, int intraOpThreads = 0)
    {
        _runner = new CropModelRunner(path, (c, h, w) =>
            CropLayout.ImageNet(w > 0 ? w : DefaultWidth, h > 0 ? h : DefaultHeight), maxBatch, intraOpThreads);
        Name = System.IO.Path.GetFileNameWithoutExtension(path);
    }

    public string Name { get; }

    public int Dimension => _runner.OutputLength;

    public int MaxBatch => _runner.MaxBatch;

    /// <summary>Crops embedded so far.</summary>
    public long Crops => _runner.Crops;

    public void Compute(Mat frameBgr, ReadOnlySpan<BoxF> boxes, Span<float> output)
    {
        int dim = Dimension;
        _runner.Run(frameBgr, boxes, output);
        for (int b = 0; b < boxes.Length; b++)
        {
            UnitVector.Normalize(output.Slice(b * dim, dim));
        }
    }

    public void Dispose() => _runner.Dispose();
}
