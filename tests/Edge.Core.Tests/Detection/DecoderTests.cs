using Edge.Detection;
using Edge.Geometry;

namespace Edge.Tests.DetectionTests;

using Detection = Edge.Detection.Detection;

/// <summary>Each decoder on a tensor built here from chosen boxes, so the expected output is known exactly.</summary>
public class DecoderTests
{
    private static Detection[] Decode(IDetectionDecoder d, float[] output, float threshold = 0.25f, bool[]? mask = null)
    {
        var buf = new DetectionBuffer(d.MaxCandidates);
        d.Decode(output, threshold, mask ?? [], buf);
        return buf.Items.ToArray();
    }

    private static void AssertBox(BoxF expected, BoxF actual)
    {
        Assert.Equal(expected.X1, actual.X1, 3);
        Assert.Equal(expected.Y1, actual.Y1, 3);
        Assert.Equal(expected.X2, actual.X2, 3);
        Assert.Equal(expected.Y2, actual.Y2, 3);
    }

    [Fact]
    public void UltralyticsChannelsFirst()
    {
        const int nc = 3, n = 5;
        var o = new float[(4 + nc) * n];
        void Set(int i, float cx, float cy, float w, float h, params float[] cls)
        {
            o[i] = cx;
            o[n + i] = cy;
            o[2 * n + i] = w;
            o[3 * n + i] = h;
            for (int c = 0; c < nc; c++)
            {
                o[(4 + c) * n + i] = cls[c];
            }
        }
        Set(1, 100, 50, 20, 40, 0.1f, 0.9f, 0.2f); // class 1 at 0.9
        Set(3, 300, 200, 10, 10, 0.6f, 0.0f, 0.7f); // class 2 at 0.7 (class 0 at 0.6)
        Set(4, 10, 10, 4, 4, 0.2f, 0.1f, 0.0f);    // below threshold

        Detection[] d = Decode(new UltralyticsDecoder(nc, n), o);
        Assert.Equal(2, d.Length);
        AssertBox(new BoxF(90, 30, 110, 70), d[0].Box);
        Assert.Equal((0.9f, 1), (d[0].Score, d[0].ClassId));
        AssertBox(new BoxF(295, 195, 305, 205), d[1].Box);
        Assert.Equal((0.7f, 2), (d[1].Score, d[1].ClassId));

        // With only class 0 allowed, anchor 3 reports its class-0 score and anchor 1 (0.1) drops out.
        Detection[] only0 = Decode(new UltralyticsDecoder(nc, n), o, mask: [true, false, false]);
        Assert.Single(only0);
        Assert.Equal((0.6f, 0), (only0[0].Score, only0[0].ClassId));
    }

    [Fact]
    public void YoloV5ObjectnessTimesClass()
    {
        const int nc = 2, n = 3;
        var o = new float[(5 + nc) * n];
        // Row 0: obj 0.8, classes (0.5, 0.9) -> class 1, score 0.72.
        new float[] { 64, 32, 16, 8, 0.8f, 0.5f, 0.9f }.CopyTo(o, 0);
        // Row 1: obj 0.3, class 0.9 -> 0.27 > 0.25 kept.
        new float[] { 10, 10, 2, 2, 0.3f, 0.9f, 0.1f }.CopyTo(o, 7);
        // Row 2: obj 0.9, class 0.2 -> 0.18 dropped.
        new float[] { 5, 5, 2, 2, 0.9f, 0.2f, 0.1f }.CopyTo(o, 14);

        Detection[] d = Decode(new YoloV5Decoder(nc, n), o);
        Assert.Equal(2, d.Length);
        AssertBox(new BoxF(56, 28, 72, 36), d[0].Box);
        Assert.Equal(1, d[0].ClassId);
        Assert.Equal(0.72f, d[0].Score, 5);
        Assert.Equal(0, d[1].ClassId);
        Assert.Equal(0.27f, d[1].Score, 5);
    }

    [Fact]
    public void YoloXGridDecodesCellOffsetsAndStrides()
    {
        // 64x64 input: strides 8/16/32 give 8x8 + 4x4 + 2x2 = 84 rows.
        const int nc = 2;
        var dec = new YoloXGridDecoder(nc, 64, 64);
        Assert.Equal(84, dec.NumAnchors);
        var o = new float[84 * (5 + nc)];
        void Row(int i, params float[] v) => v.CopyTo(o, i * (5 + nc));

        // Stride 8, cell (gx=3, gy=2) is row 2*8+3 = 19: x = (0.5+3)*8 = 28, y = (0.25+2)*8 = 18, w = e^0*8 = 8, h = e^ln2*8 = 16.
        Row(19, 0.5f, 0.25f, 0f, MathF.Log(2f), 0.9f, 0.1f, 0.8f);
        // Stride 32, cell (1, 0) is row 64 + 16 + 1 = 81: x = (0+1)*32 = 32, y = 0, w = h = e^1*32.
        Row(81, 0f, 0f, 1f, 1f, 0.5f, 0.7f, 0.2f);

        Detection[] d = Decode(dec, o);
        Assert.Equal(2, d.Length);
        AssertBox(BoxF.FromCenter(28, 18, 8, 16), d[0].Box);
        Assert.Equal(1, d[0].ClassId);
        Assert.Equal(0.72f, d[0].Score, 5);
        float e32 = MathF.E * 32;
        AssertBox(BoxF.FromCenter(32, 0, e32, e32), d[1].Box);
        Assert.Equal(0, d[1].ClassId);
        Assert.Equal(0.35f, d[1].Score, 5);
    }

    [Fact]
    public void EndToEndCornersScoreClassNoNms()
    {
        var o = new float[4 * 6];
        new float[] { 10, 20, 30, 60, 0.9f, 0 }.CopyTo(o, 0);
        new float[] { 11, 21, 31, 61, 0.8f, 0 }.CopyTo(o, 6); // overlaps the first; kept (no NMS)
        new float[] { 0, 0, 5, 5, 0.1f, 3 }.CopyTo(o, 12); // below threshold
        new float[] { 50, 50, 70, 90, 0.5f, 3 }.CopyTo(o, 18);
        var dec = new EndToEndDecoder(80, 4);
        Assert.False(dec.NeedsNms);

        Detection[] d = Decode(dec, o);
        Assert.Equal(3, d.Length);
        AssertBox(new BoxF(11, 21, 31, 61), d[1].Box);
        Assert.Equal((0.5f, 3), (d[2].Score, d[2].ClassId));

        var person = new bool[80];
        person[0] = true;
        Assert.Equal(2, Decode(dec, o, mask: person).Length);
    }

    [Fact]
    public void FullBufferCountsDropped()
    {
        var dec = new EndToEndDecoder(1, 3);
        float[] o = [0, 0, 1, 1, 0.9f, 0, 0, 0, 1, 1, 0.9f, 0, 0, 0, 1, 1, 0.9f, 0];
        var buf = new DetectionBuffer(2);
        dec.Decode(o, 0.25f, [], buf);
        Assert.Equal(2, buf.Count);
        Assert.Equal(1, buf.Dropped);
    }
}
