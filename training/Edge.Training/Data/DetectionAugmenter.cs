using Edge.Geometry;
using SkiaSharp;

namespace Edge.Training.Data;

/// <summary>Augmentation strengths (Ultralytics' default.yaml names and defaults: scale 0.5, translate 0.1, fliplr 0.5,
/// hsv_h 0.015, hsv_s 0.7, hsv_v 0.4). All zero gives the plain centred letterbox. <see cref="Mosaic"/> is the
/// probability of a 4-image mosaic sample (Ultralytics' default is 1.0; 0 here so that runs without the option keep
/// their earlier, documented sequence).</summary>
public sealed record DetectionAugmentation(double Scale = 0.5, double Translate = 0.1, double FlipLr = 0.5, double HsvH = 0.015, double HsvS = 0.7, double HsvV = 0.4, double Mosaic = 0)
{
    public static readonly DetectionAugmentation None = new(0, 0, 0, 0, 0, 0);
}

/// <summary>One image of a mosaic with its boxes (image pixels) and class ids.</summary>
public readonly record struct MosaicTile(SKImage Image, IReadOnlyList<BoxF> Boxes, IReadOnlyList<int> Classes);

/// <summary>
/// Renders one training image into a square input: letterbox (long side to the input size, grey 114 border, centred)
/// composed with a random zoom, shift and horizontal flip as one affine map (so pixels are resampled once), then an HSV
/// gain jitter. Boxes go through the same map, are clipped to the input, and are dropped when they become thinner than
/// 2 px or keep less than 10 % of their scaled area (Ultralytics' box_candidates). Deterministic for a given Random.
/// </summary>
public sealed class DetectionAugmenter(int imageSize, DetectionAugmentation options) : IDisposable
{
    private readonly SKBitmap canvasBitmap = new(new SKImageInfo(imageSize, imageSize, SKColorType.Rgba8888, SKAlphaType.Premul));
    private SKBitmap? mosaicBitmap;

    public int ImageSize { get; } = imageSize;

    public void Dispose()
    {
        canvasBitmap.Dispose();
        mosaicBitmap?.Dispose();
    }

    /// <summary>Writes RGB 0..1 planes into <paramref name="chw"/> (3·S·S) and returns the boxes in input pixels.</summary>
    public List<(BoxF Box, int ClassId)> Render(SKImage image, IReadOnlyList<BoxF> boxes, IReadOnlyList<int> classes, Random rng, Span<float> chw)
    {
        int s = ImageSize, w = image.Width, h = image.Height;
        double gain = 1 + ((rng.NextDouble() * 2) - 1) * options.Scale;
        double r = (double)s / Math.Max(w, h) * gain;
        double tx = ((s - (w * r)) / 2) + (((rng.NextDouble() * 2) - 1) * options.Translate * s);
        double ty = ((s - (h * r)) / 2) + (((rng.NextDouble() * 2) - 1) * options.Translate * s);
        bool flip = rng.NextDouble() < options.FlipLr;
        DrawAndWritePlanes(image, r, tx, ty, flip, rng, chw);

        var result = new List<(BoxF, int)>();
        for (int i = 0; i < boxes.Count; i++)
        {
            AddCandidate(result, boxes[i], classes[i], r, tx, ty, flip);
        }
        return result;
    }

    /// <summary>
    /// Mosaic (Bochkovskiy et al., YOLOv4, arXiv 2004.10934; Ultralytics' Mosaic): the four tiles, each resized to a
    /// long side of S, meet at a random centre (xc, yc) drawn uniformly in [S/2, 3S/2) on a grey 2S x 2S canvas (tile 0
    /// top-left of the centre, 1 top-right, 2 bottom-left, 3 bottom-right; parts outside the canvas are cut, boxes are
    /// clipped to it). The random affine then maps the canvas centre to the input centre: p' = g·(p − S) + S/2 + t, with
    /// the same zoom g, shift t, flip and HSV draws as <see cref="Render"/>, so the output is S x S again. Random draw
    /// order: xc, yc, then the affine draws.
    /// </summary>
    public List<(BoxF Box, int ClassId)> RenderMosaic(IReadOnlyList<MosaicTile> tiles, Random rng, Span<float> chw)
    {
        if (tiles.Count != 4)
        {
            throw new ArgumentException($"a mosaic takes 4 tiles, got {tiles.Count}", nameof(tiles));
        }
        int s = ImageSize, m = 2 * s;
        int xc = (int)((s / 2.0) + (rng.NextDouble() * s)), yc = (int)((s / 2.0) + (rng.NextDouble() * s));
        mosaicBitmap ??= new SKBitmap(new SKImageInfo(m, m, SKColorType.Rgba8888, SKAlphaType.Premul));
        var placed = new List<(BoxF Box, int ClassId)>();
        using (var canvas = new SKCanvas(mosaicBitmap))
        {
            canvas.Clear(new SKColor(114, 114, 114));
            for (int k = 0; k < 4; k++)
            {
                var tile = tiles[k];
                double r = (double)s / Math.Max(tile.Image.Width, tile.Image.Height);
                double w = tile.Image.Width * r, h = tile.Image.Height * r;
                double ox = k is 0 or 2 ? xc - w : xc, oy = k is 0 or 1 ? yc - h : yc;
                canvas.Save();
                canvas.ClipRect(new SKRect(k is 0 or 2 ? 0 : xc, k is 0 or 1 ? 0 : yc, k is 0 or 2 ? xc : m, k is 0 or 1 ? yc : m));
                canvas.SetMatrix(SKMatrix.CreateScaleTranslation((float)r, (float)r, (float)ox, (float)oy));
                canvas.DrawImage(tile.Image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
                canvas.Restore();
                for (int i = 0; i < tile.Boxes.Count; i++)
                {
                    var b = tile.Boxes[i];
                    placed.Add((new BoxF(
                        (float)Math.Clamp((b.X1 * r) + ox, 0, m), (float)Math.Clamp((b.Y1 * r) + oy, 0, m),
                        (float)Math.Clamp((b.X2 * r) + ox, 0, m), (float)Math.Clamp((b.Y2 * r) + oy, 0, m)), tile.Classes[i]));
                }
            }
        }

        double g = 1 + ((rng.NextDouble() * 2) - 1) * options.Scale;
        double tx = (s / 2.0) - (g * s) + (((rng.NextDouble() * 2) - 1) * options.Translate * s);
        double ty = (s / 2.0) - (g * s) + (((rng.NextDouble() * 2) - 1) * options.Translate * s);
        bool flip = rng.NextDouble() < options.FlipLr;
        using (var pixmap = mosaicBitmap.PeekPixels())
        using (var mosaic = SKImage.FromPixels(pixmap)) // wraps the pixels, no copy
        {
            DrawAndWritePlanes(mosaic, g, tx, ty, flip, rng, chw);
        }

        var result = new List<(BoxF, int)>();
        foreach (var (box, classId) in placed)
        {
            AddCandidate(result, box, classId, g, tx, ty, flip);
        }
        return result;
    }

    /// <summary>The common end of <see cref="Render"/> and <see cref="RenderMosaic"/>: draws <paramref name="source"/>
    /// through x·scale + t (then the flip) onto the grey input, draws the HSV gains and writes the planes.</summary>
    private void DrawAndWritePlanes(SKImage source, double scale, double tx, double ty, bool flip, Random rng, Span<float> chw)
    {
        var matrix = SKMatrix.CreateScaleTranslation((float)scale, (float)scale, (float)tx, (float)ty);
        if (flip)
        {
            matrix = matrix.PostConcat(new SKMatrix(-1, 0, ImageSize, 0, 1, 0, 0, 0, 1));
        }
        using (var canvas = new SKCanvas(canvasBitmap))
        {
            canvas.Clear(new SKColor(114, 114, 114));
            canvas.SetMatrix(matrix);
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
        }
        var (gh, gs, gv) = (1 + (((rng.NextDouble() * 2) - 1) * options.HsvH), 1 + (((rng.NextDouble() * 2) - 1) * options.HsvS), 1 + (((rng.NextDouble() * 2) - 1) * options.HsvV));
        WritePlanes(canvasBitmap.GetPixelSpan(), canvasBitmap.RowBytes, chw, options.HsvH > 0 || options.HsvS > 0 || options.HsvV > 0 ? (gh, gs, gv) : null);
    }

    /// <summary>Maps a box by x·r + t (then the flip), clips it to the input and keeps it unless it became thinner
    /// than 2 px or kept less than 10 % of its mapped area (Ultralytics' box_candidates).</summary>
    private void AddCandidate(List<(BoxF, int)> result, BoxF b, int classId, double r, double tx, double ty, bool flip)
    {
        int s = ImageSize;
        float x1 = (float)((b.X1 * r) + tx), x2 = (float)((b.X2 * r) + tx);
        if (flip)
        {
            (x1, x2) = (s - x2, s - x1);
        }
        float y1 = (float)((b.Y1 * r) + ty), y2 = (float)((b.Y2 * r) + ty);
        var clipped = new BoxF(Math.Clamp(x1, 0, s), Math.Clamp(y1, 0, s), Math.Clamp(x2, 0, s), Math.Clamp(y2, 0, s));
        double scaledArea = (x2 - x1) * (double)(y2 - y1);
        if (clipped.Width > 2 && clipped.Height > 2 && clipped.Width * (double)clipped.Height > 0.1 * scaledArea)
        {
            result.Add((clipped, classId));
        }
    }

    /// <summary>RGBA bytes → planar RGB floats, optionally with HSV gains (hue gain scales the hue angle, as
    /// Ultralytics' LUT on OpenCV's 0..180 hue does; saturation and value are clipped to 1).</summary>
    private void WritePlanes(ReadOnlySpan<byte> rgba, int rowBytes, Span<float> chw, (double H, double S, double V)? hsv)
    {
        int s = ImageSize, plane = s * s;
        for (int y = 0; y < s; y++)
        {
            for (int x = 0; x < s; x++)
            {
                int o = (y * rowBytes) + (x * 4), i = (y * s) + x;
                float r = rgba[o] / 255f, g = rgba[o + 1] / 255f, b = rgba[o + 2] / 255f;
                if (hsv is var (gh, gs, gv))
                {
                    (r, g, b) = Jitter(r, g, b, (float)gh, (float)gs, (float)gv);
                }
                chw[i] = r;
                chw[plane + i] = g;
                chw[(2 * plane) + i] = b;
            }
        }
    }

    public static (float R, float G, float B) Jitter(float r, float g, float b, float gh, float gs, float gv)
    {
        float max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), d = max - min;
        float h = d == 0 ? 0 : max == r ? ((g - b) / d % 6 + 6) % 6 : max == g ? ((b - r) / d) + 2 : ((r - g) / d) + 4;
        float sat = max == 0 ? 0 : d / max;
        h = ((h * gh % 6) + 6) % 6;
        sat = Math.Clamp(sat * gs, 0, 1);
        float v = Math.Clamp(max * gv, 0, 1);
        float c = v * sat, xx = c * (1 - Math.Abs((h % 2) - 1)), m = v - c;
        var (rr, gg, bb) = (int)h switch
        {
            0 => (c, xx, 0f),
            1 => (xx, c, 0f),
            2 => (0f, c, xx),
            3 => (0f, xx, c),
            4 => (xx, 0f, c),
            _ => (c, 0f, xx),
        };
        return (rr + m, gg + m, bb + m);
    }
}
