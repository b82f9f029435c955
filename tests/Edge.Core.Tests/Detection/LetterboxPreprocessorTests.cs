using Edge.Detection;
using Edge.Models;

namespace Edge.Tests.DetectionTests;

public class LetterboxPreprocessorTests
{
    /// <summary>Straightforward reference: for each output pixel, OpenCV INTER_LINEAR sampling computed in double.</summary>
    private static float[] Reference(byte[] bgr, int w, int h, int stride, int inW, int inH, PixelFormat format)
    {
        var t = LetterboxTransform.Create(w, h, inW, inH, LetterboxTransform.AnchorFor(format));
        bool rgb = format == PixelFormat.Rgb01Centered;
        double scale = rgb ? 1 / 255.0 : 1.0;
        var outp = new float[3 * inW * inH];
        for (int c = 0; c < 3; c++)
        {
            int srcC = rgb ? 2 - c : c;
            for (int y = 0; y < inH; y++)
            {
                for (int x = 0; x < inW; x++)
                {
                    int dx = x - t.PadX, dy = y - t.PadY;
                    double v;
                    if (dx < 0 || dy < 0 || dx >= t.ResizedWidth || dy >= t.ResizedHeight)
                    {
                        v = 114;
                    }
                    else
                    {
                        (int x0, int x1, double fx) = Tap(dx, (double)w / t.ResizedWidth, w);
                        (int y0, int y1, double fy) = Tap(dy, (double)h / t.ResizedHeight, h);
                        double P(int xx, int yy) => bgr[yy * stride + xx * 3 + srcC];
                        v = (P(x0, y0) * (1 - fx) + P(x1, y0) * fx) * (1 - fy) + (P(x0, y1) * (1 - fx) + P(x1, y1) * fx) * fy;
                    }
                    outp[c * inW * inH + y * inW + x] = (float)(v * scale);
                }
            }
        }
        return outp;
    }

    private static (int, int, double) Tap(int d, double scale, int size)
    {
        double f = (d + 0.5) * scale - 0.5;
        int s = (int)Math.Floor(f);
        f -= s;
        if (s < 0)
        {
            s = 0;
            f = 0;
        }
        if (s >= size - 1)
        {
            s = size - 1;
            f = 0;
        }
        return (s, Math.Min(s + 1, size - 1), f);
    }

    private static byte[] RandomImage(int w, int h, int stride, int seed)
    {
        var rng = new Random(seed);
        var b = new byte[stride * h];
        rng.NextBytes(b);
        return b;
    }

    [Theory]
    [InlineData(37, 23, 64, 48, PixelFormat.Rgb01Centered)] // upscale, pad left/right
    [InlineData(200, 90, 64, 64, PixelFormat.Rgb01Centered)] // downscale, pad top/bottom
    [InlineData(200, 90, 64, 64, PixelFormat.Bgr255TopLeft)]
    [InlineData(31, 77, 40, 40, PixelFormat.Bgr255TopLeft)]
    [InlineData(64, 64, 64, 64, PixelFormat.Rgb01Centered)] // identity size
    public void MatchesReferenceEverywhere(int w, int h, int inW, int inH, PixelFormat format)
    {
        int stride = w * 3 + 5; // a padded stride, as in a sub-matrix
        byte[] img = RandomImage(w, h, stride, seed: w * 1000 + h);
        var pre = new LetterboxPreprocessor(inW, inH, format);
        var tensor = new float[pre.TensorLength];
        tensor.AsSpan().Fill(float.NaN); // every element must be written

        pre.Run(img, w, h, stride, tensor);

        float[] expected = Reference(img, w, h, stride, inW, inH, format);
        float tolerance = format == PixelFormat.Rgb01Centered ? 1e-4f : 0.02f;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(tensor[i]), $"element {i} not written");
            Assert.True(Math.Abs(tensor[i] - expected[i]) <= tolerance, $"element {i}: {tensor[i]} vs reference {expected[i]}");
        }
    }

    [Fact]
    public void ChannelOrderAndScaling()
    {
        // A uniform BGR (10, 20, 30) image: RGB planes must read 30, 20, 10 (/255); BGR planes 10, 20, 30.
        const int w = 8, h = 4;
        var img = new byte[w * h * 3];
        for (int i = 0; i < img.Length; i += 3)
        {
            (img[i], img[i + 1], img[i + 2]) = ((byte)10, (byte)20, (byte)30);
        }
        var rgb = new LetterboxPreprocessor(8, 8, PixelFormat.Rgb01Centered);
        var t1 = new float[rgb.TensorLength];
        var tr = rgb.Run(img, w, h, w * 3, t1);
        Assert.Equal(2, tr.PadY); // 8x4 in 8x8: 2 rows of padding above
        int centre = 4 * 8 + 4;
        Assert.Equal(30 / 255f, t1[centre], 6);
        Assert.Equal(20 / 255f, t1[64 + centre], 6);
        Assert.Equal(10 / 255f, t1[128 + centre], 6);
        Assert.Equal(114 / 255f, t1[0], 6); // top padding

        var bgr = new LetterboxPreprocessor(8, 8, PixelFormat.Bgr255TopLeft);
        var t2 = new float[bgr.TensorLength];
        bgr.Run(img, w, h, w * 3, t2);
        Assert.Equal(10f, t2[0]); // image at the top-left
        Assert.Equal(30f, t2[128]);
        Assert.Equal(114f, t2[7 * 8 + 7]); // bottom-right padding
    }

    [Fact]
    public void RejectsTooShortBuffers()
    {
        var pre = new LetterboxPreprocessor(16, 16, PixelFormat.Rgb01Centered);
        var ex = Assert.Throws<EdgeException>(() => pre.Run(new byte[10], 4, 4, 12, new float[pre.TensorLength]));
        Assert.Contains("4x4", ex.Message);
    }
}
