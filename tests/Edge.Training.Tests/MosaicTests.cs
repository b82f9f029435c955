using Edge.Geometry;
using Edge.Training.Data;
using Edge.Training.Detection;
using SkiaSharp;

namespace Edge.Training.Tests;

public sealed class MosaicTests
{
    private const int S = 64;

    private static readonly SKColor[] Colours = [new(220, 0, 0), new(0, 220, 0), new(0, 0, 220), new(220, 220, 0)];

    private static SKImage Solid(SKColor colour)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(colour);
        return SKImage.FromBitmap(bitmap);
    }

    private static (float R, float G, float B) Pixel(float[] chw, int x, int y) =>
        (chw[(y * S) + x], chw[(S * S) + (y * S) + x], chw[(2 * S * S) + (y * S) + x]);

    [Fact]
    public void Four_tiles_meet_at_the_random_centre_and_their_boxes_are_shifted_and_clipped()
    {
        // 32x32 tiles are resized to 64 (factor 2). Without zoom/shift the affine maps the 2S canvas by p - S/2, so the
        // mosaic centre (xc, yc) lands at (xc - 32, yc - 32). The centre comes from the first two draws of the Random.
        const int seed = 5;
        var probe = new Random(seed);
        int cx = (int)((S / 2.0) + (probe.NextDouble() * S)) - (S / 2), cy = (int)((S / 2.0) + (probe.NextDouble() * S)) - (S / 2);
        Assert.InRange(cx, 16, 48); // the seed is picked so that every expected box below is inside the input
        Assert.InRange(cy, 16, 48);

        var images = Colours.Select(Solid).ToArray();
        try
        {
            MosaicTile[] tiles =
            [
                new(images[0], [new BoxF(24, 24, 32, 32), new BoxF(0, 0, 4, 4)], [0, 0]), // inner corner; far corner leaves the input
                new(images[1], [new BoxF(0, 24, 32, 32)], [1]),                               // full width: cut at the right edge
                new(images[2], [new BoxF(24, 0, 32, 8)], [2]),
                new(images[3], [new BoxF(0, 0, 8, 8)], [3]),
            ];
            using var augmenter = new DetectionAugmenter(S, DetectionAugmentation.None);
            var chw = new float[3 * S * S];
            var boxes = augmenter.RenderMosaic(tiles, new Random(seed), chw);

            Assert.Equal(4, boxes.Count);
            Assert.Equal((new BoxF(cx - 16, cy - 16, cx, cy), 0), boxes[0]);
            Assert.Equal((new BoxF(cx, cy - 16, S, cy), 1), boxes[1]);
            Assert.Equal((new BoxF(cx - 16, cy, cx, cy + 16), 2), boxes[2]);
            Assert.Equal((new BoxF(cx, cy, cx + 16, cy + 16), 3), boxes[3]);

            // Pixels: each quadrant around the centre shows its tile.
            (int Dx, int Dy)[] quadrant = [(-3, -3), (2, -3), (-3, 2), (2, 2)];
            for (int k = 0; k < 4; k++)
            {
                var (r, g, b) = Pixel(chw, cx + quadrant[k].Dx, cy + quadrant[k].Dy);
                Assert.Equal(Colours[k].Red / 255f, r, 2);
                Assert.Equal(Colours[k].Green / 255f, g, 2);
                Assert.Equal(Colours[k].Blue / 255f, b, 2);
            }
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    [Fact]
    public void Same_seed_same_mosaic_and_every_box_stays_inside_the_input()
    {
        var images = Colours.Select(Solid).ToArray();
        try
        {
            var tiles = images.Select((image, k) => new MosaicTile(image, [new BoxF(2, 2, 30, 30)], [k])).ToArray();
            using var augmenter = new DetectionAugmenter(S, new DetectionAugmentation(Scale: 0.5, Translate: 0.2, FlipLr: 0.5, Mosaic: 1));
            var a = new float[3 * S * S];
            var b = new float[3 * S * S];
            Assert.Equal(augmenter.RenderMosaic(tiles, new Random(11), a), augmenter.RenderMosaic(tiles, new Random(11), b));
            Assert.Equal(a, b);
            int kept = 0;
            for (int seed = 0; seed < 30; seed++)
            {
                var result = augmenter.RenderMosaic(tiles, new Random(seed), a);
                Assert.All(result, r => Assert.True(r.Box.X1 >= 0 && r.Box.Y1 >= 0 && r.Box.X2 <= S && r.Box.Y2 <= S && r.Box.Width > 2 && r.Box.Height > 2, r.Box.ToString()));
                kept += result.Count;
            }
            // Tiles far from the centre are often pushed out of the S x S crop: some, not all, of the 120 boxes survive.
            Assert.InRange(kept, 30, 119);
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    [Fact]
    public void Close_mosaic_turns_it_off_for_the_last_epochs()
    {
        var options = new DetectorTrainOptions { Epochs = 10, CloseMosaic = 2, Augmentation = new DetectionAugmentation(Mosaic: 1) };
        Assert.Equal([true, true, true, true, true, true, true, true, false, false], Enumerable.Range(1, 10).Select(options.MosaicAt));
        Assert.False((options with { Augmentation = new DetectionAugmentation() }).MosaicAt(1));
    }
}
