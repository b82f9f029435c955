using Edge.Appearance;
using Edge.Geometry;
using OpenCvSharp;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Tracking;

/// <summary>
/// A cheap appearance descriptor for <see cref="TrackerFrameContext.Embeddings"/> when no re-identification
/// network is available: HSV colour histograms (8 hue × 4 saturation × 4 value bins) of two horizontal stripes of
/// each box, upper body and legs (the stripes of ELF, Gray and Tao, ECCV 2008, and SDALF's torso/legs split, Farenzena
/// et al., CVPR 2010), concatenated into 256 floats. Each stripe covers the central 60 % of the box width, the stripes
/// together 10-90 % of its height: mostly clothing, little background, no head or feet. Each stripe's histogram is
/// normalised to sum 1 and square-rooted (Hellinger), so the cosine of two rows is the mean Bhattacharyya coefficient of
/// their stripes: large uniform areas no longer dominate and a colour that appears in one stripe only still counts. On
/// vtest.avi this separates people far better than one histogram of the box centre (<c>bench appearance-similarity</c>:
/// two people scoring above the same person's 5th percentile 2.4 % of the time instead of 15.7 %, OSNet 0.6 %;
/// docs/follow-me.md). Only the box's pixels are converted (sub-Mat views, no frame copy).
/// </summary>
public sealed class ColorHistogramEmbedder : IAppearanceEmbedder
{
    public const int HueBins = 8;
    public const int SaturationBins = 4;
    public const int ValueBins = 4;
    public const int BinsPerStripe = HueBins * SaturationBins * ValueBins;
    public const int Stripes = 2;
    public const int Dimension = Stripes * BinsPerStripe;

    private const float CentralWidth = 0.6f;
    private const float Top = 0.1f;
    private const float Bottom = 0.9f;

    private readonly Mat _hsv = new();

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

    private void ComputeOne(Mat frame, in BoxF box, Span<float> row)
    {
        row.Clear();
        float margin = (1 - CentralWidth) / 2;
        int x1 = Math.Clamp((int)MathF.Floor(box.X1 + (box.Width * margin)), 0, frame.Width);
        int x2 = Math.Clamp((int)MathF.Ceiling(box.X2 - (box.Width * margin)), 0, frame.Width);
        for (int k = 0; k < Stripes; k++)
        {
            float top = Top + ((Bottom - Top) * k / Stripes);
            float bottom = Top + ((Bottom - Top) * (k + 1) / Stripes);
            int y1 = Math.Clamp((int)MathF.Floor(box.Y1 + (box.Height * top)), 0, frame.Height);
            int y2 = Math.Clamp((int)MathF.Ceiling(box.Y1 + (box.Height * bottom)), 0, frame.Height);
            if (x2 > x1 && y2 > y1)
            {
                AddStripe(frame, new Rect(x1, y1, x2 - x1, y2 - y1), row.Slice(k * BinsPerStripe, BinsPerStripe));
            }
        }
        UnitVector.Normalize(row); // a box outside the frame keeps its zero row
    }

    /// <summary>The square root of the stripe's normalised histogram (Hellinger embedding).</summary>
    private unsafe void AddStripe(Mat frame, Rect stripe, Span<float> hist)
    {
        using (var roi = new Mat(frame, stripe))
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
        float inv = 1f / (rows * cols);
        for (int i = 0; i < hist.Length; i++)
        {
            hist[i] = MathF.Sqrt(hist[i] * inv);
        }
    }

    public void Dispose() => _hsv.Dispose();
}
