using Edge.Appearance;
using Edge.Geometry;
using OpenCvSharp;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Tracking;

/// <summary>
/// A cheap appearance descriptor for <see cref="TrackerFrameContext.Embeddings"/> when no re-identification
/// network is available: an HSV colour histogram (8 hue × 4 saturation × 4 value bins = 128) of the central part
/// of each box, L2-normalised so the tracker's cosine distance applies (BoT-SORT fusion). The centre crop keeps
/// mostly clothing and little background. Only the box's pixels are converted (a sub-Mat view, no frame copy).
/// </summary>
public sealed class ColorHistogramEmbedder : IAppearanceEmbedder
{
    public const int HueBins = 8;
    public const int SaturationBins = 4;
    public const int ValueBins = 4;
    public const int Dimension = HueBins * SaturationBins * ValueBins;

    private readonly float _centralFraction;
    private readonly Mat _hsv = new();

    /// <param name="centralFraction">Width and height fraction of the box used, centred (0.5 = middle half).</param>
    public ColorHistogramEmbedder(float centralFraction = 0.6f)
    {
        if (!(centralFraction > 0 && centralFraction <= 1))
        {
            throw new EdgeException($"ColorHistogramEmbedder: centralFraction {centralFraction} must be in (0, 1].");
        }
        _centralFraction = centralFraction;
    }

    public string Name => "hsv-histogram";

    int IAppearanceEmbedder.Dimension => Dimension;

    /// <summary>Writes one <see cref="Dimension"/>-float row per box into <paramref name="output"/>.</summary>
    public void Compute(Mat frameBgr, ReadOnlySpan<BoxF> boxes, Span<float> output)
    {
        Check(frameBgr, boxes.Length, output.Length);
        for (int i = 0; i < boxes.Length; i++)
        {
            ComputeOne(frameBgr, boxes[i], output.Slice(i * Dimension, Dimension));
        }
    }

    /// <summary>Writes one <see cref="Dimension"/>-float row per detection into <paramref name="output"/>. A box
    /// outside the frame gets a zero row (no appearance).</summary>
    public void Compute(Mat frameBgr, ReadOnlySpan<DetectionRecord> detections, Span<float> output)
    {
        Check(frameBgr, detections.Length, output.Length);
        for (int i = 0; i < detections.Length; i++)
        {
            ComputeOne(frameBgr, detections[i].Box, output.Slice(i * Dimension, Dimension));
        }
    }

    private static void Check(Mat frameBgr, int boxes, int outputLength)
    {
        ArgumentNullException.ThrowIfNull(frameBgr);
        if (frameBgr.Type() != MatType.CV_8UC3)
        {
            throw new EdgeException($"ColorHistogramEmbedder: expected an 8-bit BGR frame, got {frameBgr.Type()}.");
        }
        if (outputLength < boxes * Dimension)
        {
            throw new EdgeException($"ColorHistogramEmbedder: output holds {outputLength} floats, need {boxes} x {Dimension}.");
        }
    }

    private unsafe void ComputeOne(Mat frame, in BoxF box, Span<float> hist)
    {
        hist.Clear();
        float margin = (1 - _centralFraction) / 2;
        int x1 = Math.Clamp((int)MathF.Floor(box.X1 + (box.Width * margin)), 0, frame.Width);
        int y1 = Math.Clamp((int)MathF.Floor(box.Y1 + (box.Height * margin)), 0, frame.Height);
        int x2 = Math.Clamp((int)MathF.Ceiling(box.X2 - (box.Width * margin)), 0, frame.Width);
        int y2 = Math.Clamp((int)MathF.Ceiling(box.Y2 - (box.Height * margin)), 0, frame.Height);
        if (x2 <= x1 || y2 <= y1)
        {
            return;
        }
        using (var roi = new Mat(frame, new Rect(x1, y1, x2 - x1, y2 - y1)))
        {
            Cv2.CvtColor(roi, _hsv, ColorConversionCodes.BGR2HSV);
        }
        int rows = _hsv.Rows, cols = _hsv.Cols;
        long step = _hsv.Step();
        byte* data = (byte*)_hsv.DataPointer;
        for (int r = 0; r < rows; r++)
        {
            byte* p = data + (r * step);
            for (int c = 0; c < cols; c++, p += 3)
            {
                // OpenCV 8-bit HSV: H in [0, 180), S and V in [0, 256).
                int h = Math.Min(HueBins - 1, p[0] * HueBins / 180);
                int s = p[1] * SaturationBins >> 8;
                int v = p[2] * ValueBins >> 8;
                hist[(((h * SaturationBins) + s) * ValueBins) + v] += 1f;
            }
        }
        float norm = 0;
        foreach (float x in hist)
        {
            norm += x * x;
        }
        float inv = 1f / MathF.Sqrt(norm);
        for (int i = 0; i < hist.Length; i++)
        {
            hist[i] *= inv;
        }
    }

    public void Dispose() => _hsv.Dispose();
}
