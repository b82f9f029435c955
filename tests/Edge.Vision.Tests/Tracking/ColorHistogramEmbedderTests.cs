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
        const int d = ColorHistogramEmbedder.Dimension;
        var a = output.AsSpan(0, d);
        var b = output.AsSpan(d, d);
        var c = output.AsSpan(2 * d, d);
        Assert.Equal(1f, Dot(a, a), 4);
        Assert.Equal(1f, Dot(c, c), 4);
        Assert.True(Dot(a, b) > 0.95f, $"red vs red cosine {Dot(a, b)}");
        Assert.True(Dot(a, c) < 0.05f, $"red vs blue cosine {Dot(a, c)}");
    }

    [Fact]
    public void TheSameColoursOnTorsoAndLegsSwappedAreADifferentPerson()
    {
        // A red shirt over blue trousers and a blue shirt over red trousers have the same colours in the same amounts:
        // one histogram of the whole box cannot tell them apart, the upper-body and leg stripes can.
        using var frame = new Mat(300, 300, MatType.CV_8UC3, new Scalar(40, 160, 40));
        var red = new Scalar(0, 0, 220);
        var blue = new Scalar(220, 0, 0);
        Cv2.Rectangle(frame, new Rect(20, 50, 60, 100), red, -1);
        Cv2.Rectangle(frame, new Rect(20, 150, 60, 100), blue, -1);
        Cv2.Rectangle(frame, new Rect(120, 55, 60, 100), red, -1);   // the same clothes, a little lower
        Cv2.Rectangle(frame, new Rect(120, 155, 60, 100), blue, -1);
        Cv2.Rectangle(frame, new Rect(220, 50, 60, 100), blue, -1);  // swapped
        Cv2.Rectangle(frame, new Rect(220, 150, 60, 100), red, -1);
        float[][] rows = Embed(frame, BoxF.FromXywh(20, 50, 60, 200), BoxF.FromXywh(120, 55, 60, 200), BoxF.FromXywh(220, 50, 60, 200));

        float same = Dot(rows[0], rows[1]);
        float swapped = Dot(rows[0], rows[2]);
        Assert.True(same > 0.95f, $"same clothes cosine {same}");
        Assert.True(swapped < 0.05f, $"swapped clothes cosine {swapped}");
    }

    [Fact]
    public void AColourOnASmallPartOfTheBoxStillCounts()
    {
        // Square-rooted (Hellinger) histograms: a red bag over a fifth of a grey coat's upper stripe gives cosine
        // (sqrt(0.8) + 1) / 2 = 0.947 against the plain coat; raw counts would give 1.8 / sqrt(2 * 1.68) = 0.982.
        using var frame = new Mat(300, 200, MatType.CV_8UC3, new Scalar(40, 160, 40));
        Cv2.Rectangle(frame, new Rect(20, 50, 60, 200), Scalar.All(128), -1);
        Cv2.Rectangle(frame, new Rect(120, 50, 60, 200), Scalar.All(128), -1);
        Cv2.Rectangle(frame, new Rect(132, 70, 36, 16), new Scalar(0, 0, 220), -1); // 36 x 16 of the 36 x 80 stripe
        float[][] rows = Embed(frame, BoxF.FromXywh(20, 50, 60, 200), BoxF.FromXywh(120, 50, 60, 200));

        float cosine = Dot(rows[0], rows[1]);
        Assert.InRange(cosine, 0.94f, 0.955f);
    }

    private static float[][] Embed(Mat frame, params BoxF[] boxes)
    {
        using var embedder = new ColorHistogramEmbedder();
        const int d = ColorHistogramEmbedder.Dimension;
        var output = new float[boxes.Length * d];
        embedder.Compute(frame, boxes, output);
        return [.. Enumerable.Range(0, boxes.Length).Select(i => output.AsSpan(i * d, d).ToArray())];
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

    [Fact]
    public unsafe void HsvMatchesOpenCvOnEveryColour()
    {
        // All 2^24 BGR colours, one per pixel: the embedder's in-place conversion must give cvtColor's bytes exactly,
        // or its histograms (and every golden built on them) would drift from OpenCV's.
        using var colours = new Mat(4096, 4096, MatType.CV_8UC3);
        byte* p = (byte*)colours.DataPointer;
        for (int i = 0; i < 1 << 24; i++, p += 3)
        {
            p[0] = (byte)i;
            p[1] = (byte)(i >> 8);
            p[2] = (byte)(i >> 16);
        }
        using var hsv = new Mat();
        Cv2.CvtColor(colours, hsv, ColorConversionCodes.BGR2HSV);
        byte* q = (byte*)hsv.DataPointer;
        int mismatches = 0;
        string first = "";
        for (int i = 0; i < 1 << 24; i++, q += 3)
        {
            var (h, s, v) = ColorHistogramEmbedder.Hsv((byte)i, (byte)(i >> 8), (byte)(i >> 16));
            if (h != q[0] || s != q[1] || v != q[2])
            {
                if (mismatches++ == 0)
                {
                    first = $"BGR ({(byte)i}, {(byte)(i >> 8)}, {(byte)(i >> 16)}): OpenCV ({q[0]}, {q[1]}, {q[2]}), embedder ({h}, {s}, {v})";
                }
            }
        }
        Assert.True(mismatches == 0, $"{mismatches} colours differ, first {first}");
    }

    [Fact]
    public void ComputeAllocatesNothingOnceWarm()
    {
        using var frame = new Mat(300, 400, MatType.CV_8UC3, new Scalar(40, 160, 40));
        Cv2.Rectangle(frame, new Rect(20, 50, 60, 150), new Scalar(0, 0, 220), -1);
        DetectionRecord[] dets = [.. Enumerable.Range(0, 8).Select(i => new DetectionRecord(BoxF.FromXywh(10 + (i * 45), 40, 40, 170), 0.9f, 0))];
        using var embedder = new ColorHistogramEmbedder();
        var output = new float[dets.Length * ColorHistogramEmbedder.Dimension];
        embedder.Compute(frame, dets, output);
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                embedder.Compute(frame, dets, output);
            }
        });
        Assert.Equal(0, allocated);
    }
}
