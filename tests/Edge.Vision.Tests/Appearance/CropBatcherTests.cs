using Edge.Appearance;
using Edge.Geometry;
using OpenCvSharp;

namespace Edge.Tests.Appearance;

public class CropBatcherTests
{
    /// <summary>A frame whose pixel (x, y) encodes its position: B = x, G = y, R = 255 − x.</summary>
    private static Mat Gradient(int width, int height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                m.Set(y, x, new Vec3b((byte)x, (byte)y, (byte)(255 - x)));
            }
        }
        return m;
    }

    [Fact]
    public void ABoxCrossingTheBorderUsesOnlyItsVisiblePart()
    {
        using var frame = Gradient(200, 100);
        var layout = CropLayout.Unit(8, 16, 3);
        using var batcher = new CropBatcher(layout);
        float[] outside = new float[layout.Length], clipped = new float[layout.Length];
        // Half the box lies left of and above the frame: its crop equals the crop of the visible rectangle.
        Assert.True(batcher.Write(frame, new BoxF(-30, -20, 30, 40), outside));
        Assert.True(batcher.Write(frame, new BoxF(0, 0, 30, 40), clipped));
        Assert.Equal(clipped, outside);
        // Same at the right and bottom edges.
        Assert.True(batcher.Write(frame, new BoxF(180, 70, 260, 140), outside));
        Assert.True(batcher.Write(frame, new BoxF(180, 70, 200, 100), clipped));
        Assert.Equal(clipped, outside);
        // RGB planes, scaled to 0..1: plane 0 is R = 255 − x, plane 2 is B = x, so they sum to 1 everywhere.
        int plane = layout.Width * layout.Height;
        for (int i = 0; i < plane; i++)
        {
            Assert.Equal(1f, outside[i] + outside[(2 * plane) + i], 3);
        }
        // Top-left sample near x = 180, bottom-right near x = 199 (bilinear, within a pixel or two).
        Assert.InRange(outside[2 * plane] * 255f, 179f, 183f);
        Assert.InRange(outside[(3 * plane) - 1] * 255f, 196f, 200f);
    }

    [Fact]
    public void TinyOrOffFrameBoxesGiveNoCropAndAZeroSlot()
    {
        using var frame = Gradient(64, 64);
        var layout = CropLayout.ImageNet(4, 8);
        using var batcher = new CropBatcher(layout);
        float[] slot = new float[layout.Length];
        foreach (var box in new[]
                 {
                     new BoxF(10, 10, 11, 30),     // 1 px wide
                     new BoxF(10, 10, 30, 10.5f),  // sub-pixel tall (ceil/floor still 1 px)
                     new BoxF(70, 70, 90, 90),     // outside
                     new BoxF(-20, 5, 1, 30),      // 1 px visible
                     new BoxF(float.NaN, 0, 5, 5),
                 })
        {
            slot.AsSpan().Fill(9f);
            Assert.False(batcher.Write(frame, box, slot), $"{box}");
            Assert.All(slot, v => Assert.Equal(0f, v));
        }
        // Two pixels is enough: a 2×2 box is stretched to the model's size.
        Assert.True(batcher.Write(frame, new BoxF(10, 10, 12, 12), slot));
        Assert.Contains(slot, v => v != 0f);
    }

    [Fact]
    public void ImageNetNormalisationAndChannelOrderAreApplied()
    {
        // One uniform BGR colour: every output value is exactly (channel / 255 − mean) / std for its RGB plane.
        using var frame = new Mat(50, 50, MatType.CV_8UC3, new Scalar(10, 120, 250));
        var layout = CropLayout.ImageNet(4, 8);
        using var batcher = new CropBatcher(layout);
        float[] slot = new float[layout.Length];
        Assert.True(batcher.Write(frame, new BoxF(5, 5, 40, 45), slot));
        int plane = 32;
        Assert.Equal(((250 / 255f) - 0.485f) / 0.229f, slot[0], 4);
        Assert.Equal(((120 / 255f) - 0.456f) / 0.224f, slot[plane], 4);
        Assert.Equal(((10 / 255f) - 0.406f) / 0.225f, slot[2 * plane], 4);
        // Grey layout uses BT.601 luma.
        var grey = CropLayout.Unit(4, 4, 1);
        using var greyBatcher = new CropBatcher(grey);
        float[] g = new float[grey.Length];
        Assert.True(greyBatcher.Write(frame, new BoxF(5, 5, 40, 45), g));
        Assert.Equal(((0.299f * 250) + (0.587f * 120) + (0.114f * 10)) / 255f, g[0], 4);
    }
}
