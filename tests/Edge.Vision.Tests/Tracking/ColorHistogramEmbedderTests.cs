using Edge.Geometry;
using Edge.Tracking;
using OpenCvSharp;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Tests.Tracking;

public class ColorHistogramEmbedderTests
{
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }
        return s;
    }

    [Fact]
    public void SameClothesAreCloseDifferentClothesFar_AndRowsAreUnitLength()
    {
        using var frame = new Mat(300, 400, MatType.CV_8UC3, new Scalar(40, 160, 40)); // green background
        Cv2.Rectangle(frame, new Rect(20, 50, 60, 150), new Scalar(0, 0, 220), -1);    // red person
        Cv2.Rectangle(frame, new Rect(150, 60, 60, 150), new Scalar(0, 0, 200), -1);   // red person, slightly darker
        Cv2.Rectangle(frame, new Rect(300, 50, 60, 150), new Scalar(220, 0, 0), -1);   // blue person
        // Boxes a bit larger than the people: the centre crop must ignore the green margin.
        DetectionRecord[] dets =
        [
            new(BoxF.FromXywh(10, 40, 80, 170), 0.9f, 0),
            new(BoxF.FromXywh(140, 50, 80, 170), 0.9f, 0),
            new(BoxF.FromXywh(290, 40, 80, 170), 0.9f, 0),
        ];
        using var embedder = new ColorHistogramEmbedder();
        var output = new float[dets.Length * ColorHistogramEmbedder.Dimension];
        embedder.Compute(frame, dets, output);
        var a = output.AsSpan(0, 128);
        var b = output.AsSpan(128, 128);
        var c = output.AsSpan(256, 128);
        Assert.Equal(1f, Dot(a, a), 4);
        Assert.Equal(1f, Dot(c, c), 4);
        Assert.True(Dot(a, b) > 0.95f, $"red vs red cosine {Dot(a, b)}");
        Assert.True(Dot(a, c) < 0.05f, $"red vs blue cosine {Dot(a, c)}");
    }

    [Fact]
    public void BoxOutsideTheFrameGivesAZeroRow()
    {
        using var frame = new Mat(100, 100, MatType.CV_8UC3, Scalar.All(90));
        using var embedder = new ColorHistogramEmbedder();
        var output = new float[ColorHistogramEmbedder.Dimension];
        output.AsSpan().Fill(7f);
        embedder.Compute(frame, [new DetectionRecord(BoxF.FromXywh(200, 200, 30, 60), 0.9f, 0)], output);
        Assert.All(output, v => Assert.Equal(0f, v));
    }
}
