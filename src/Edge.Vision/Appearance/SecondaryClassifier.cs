using Edge.Geometry;
using Edge.Models;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>An ONNX image classifier run on object crops (DeepStream's "secondary GIE"): input [N, C, H, W] with
/// pixels scaled to 0..1 (RGB, or luma when C = 1) and output [N, K] class probabilities, as written by
/// <c>edge-train classify --export</c> (docs/training.md: metadata <c>task=classify</c>, <c>names</c>,
/// <c>imgsz</c>). Rows that are not already probabilities (logits) are passed through a softmax.</summary>
public sealed class SecondaryClassifier : IDisposable
{
    private readonly CropModelRunner _runner;

    public SecondaryClassifier(string path, int maxBatch = 16, int intraOpThreads = 0)
    {
        UltralyticsMetadata? meta = null;
        _runner = new CropModelRunner(path, (c, h, w) =>
        {
            int channels = c > 0 ? c : 3;
            return CropLayout.Unit(w > 0 ? w : 64, h > 0 ? h : 64, channels);
        }, maxBatch, intraOpThreads);
        try
        {
            meta = UltralyticsMetadata.Parse(_runner.Metadata);
            if (meta.Task is { } task && task != "classify")
            {
                throw new EdgeException($"Classifier '{path}': metadata task is '{task}', expected 'classify'.");
            }
            int k = _runner.OutputLength;
            Names = meta.Names is { } names && names.Count == k
                ? names.ToArray()
                : Enumerable.Range(0, k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        catch
        {
            _runner.Dispose();
            throw;
        }
        Name = System.IO.Path.GetFileNameWithoutExtension(path);
    }

    public string Name { get; }

    /// <summary>Class names (from the model's <c>names</c> metadata, else "0".."K-1"); the strings are reused for
    /// every label so per-frame labelling does not allocate.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Classes => _runner.OutputLength;

    public CropLayout Layout => _runner.Layout;

    public int MaxBatch => _runner.MaxBatch;

    /// <summary>Writes one probability row per box (boxes × <see cref="Classes"/>); returns the usable crops,
    /// marking them in <paramref name="valid"/>.</summary>
    public int Classify(Mat frameBgr, ReadOnlySpan<BoxF> boxes, Span<float> probabilities, Span<bool> valid)
    {
        int usable = _runner.Run(frameBgr, boxes, probabilities, valid);
        int k = Classes;
        for (int b = 0; b < boxes.Length; b++)
        {
            if (valid[b])
            {
                EnsureProbabilities(probabilities.Slice(b * k, k));
            }
        }
        return usable;
    }

    private static void EnsureProbabilities(Span<float> row)
    {
        float sum = 0f, max = float.NegativeInfinity;
        bool inRange = true;
        foreach (float x in row)
        {
            sum += x;
            max = MathF.Max(max, x);
            inRange &= x >= 0f && x <= 1f;
        }
        if (inRange && MathF.Abs(sum - 1f) < 1e-3f)
        {
            return;
        }
        float total = 0f;
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = MathF.Exp(row[i] - max);
            total += row[i];
        }
        for (int i = 0; i < row.Length; i++)
        {
            row[i] /= total;
        }
    }

    public void Dispose() => _runner.Dispose();
}
