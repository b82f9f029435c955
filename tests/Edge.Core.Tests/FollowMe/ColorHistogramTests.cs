using Edge.FollowMe;
using Edge.Geometry;

namespace Edge.Tests.FollowMe;

public class ColorHistogramTests
{
    [Fact]
    public void HistogramOfTheBoxCoreIsAUnitVectorOfSquareRoots()
    {
        // 10x10 BGR image: left half pure red (B0 G0 R255 -> bin (0*4+0)*4+3 = 3), right half pure blue
        // (B255 -> bin (3*4+0)*4+0 = 48). Box = whole image; core = x 2..8 (6 columns: 3 red, 3 blue), y 1..9.
        // Each bin holds half the pixels -> sqrt(0.5) in bins 3 and 48, 0 elsewhere.
        const int w = 10, h = 10;
        byte[] image = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                if (x < 5)
                {
                    image[i + 2] = 255;
                }
                else
                {
                    image[i] = 255;
                }
            }
        }
        float[] hist = new float[ColorHistogram.Dimension];
        ColorHistogram.Compute(image, w, h, w * 3, new BoxF(0, 0, 10, 10), hist);
        Assert.Equal(MathF.Sqrt(0.5f), hist[3], 5);
        Assert.Equal(MathF.Sqrt(0.5f), hist[48], 5);
        Assert.Equal(1f, hist.Sum(v => v * v), 5);

        // The left quarter only (red): the Bhattacharyya coefficient with the half/half vector is sqrt(0.5).
        float[] red = new float[ColorHistogram.Dimension];
        ColorHistogram.Compute(image, w, h, w * 3, new BoxF(0, 0, 5, 10), red);
        Assert.Equal(1f, red[3], 5);
        var appearance = new TargetAppearance();
        appearance.Update(hist, 0.1f);
        Assert.Equal(MathF.Sqrt(0.5f), appearance.Similarity(red), 5);
    }

    [Fact]
    public void TooSmallBufferIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            ColorHistogram.Compute(new byte[10], 10, 10, 30, new BoxF(0, 0, 5, 5), new float[ColorHistogram.Dimension]));
        Assert.Contains("10x10", ex.Message);
    }
}
