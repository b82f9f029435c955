using Edge.Geometry;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>Turns boxes of a frame into appearance vectors for tracking and Follow Me: one L2-normalised row of
/// <see cref="Dimension"/> floats per box, cosine similarity being their dot product. A row of zeros means "no
/// appearance" (box outside the frame or too small), which consumers treat as unknown.</summary>
public interface IAppearanceEmbedder : IDisposable
{
    /// <summary>Short name for logs and reports ("hsv-histogram", "osnet_x0_25_msmt17").</summary>
    string Name { get; }

    int Dimension { get; }

    /// <summary>Writes one row per box into <paramref name="output"/> (at least boxes × <see cref="Dimension"/>).
    /// <paramref name="frameBgr"/> is an 8-bit BGR frame; it is only read.</summary>
    void Compute(Mat frameBgr, ReadOnlySpan<BoxF> boxes, Span<float> output);
}
