using Edge.Detection;
using Edge.Geometry;

namespace Edge.Tests.DetectionTests;

public class LetterboxTransformTests
{
    public static TheoryData<int, int, int, LetterboxAnchor> Sizes()
    {
        var data = new TheoryData<int, int, int, LetterboxAnchor>();
        (int, int)[] sources = [(1, 1000), (999, 3), (768, 576), (641, 479), (1000, 1), (333, 777), (640, 640)];
        foreach ((int w, int h) in sources)
        {
            foreach (int input in new[] { 640, 416, 320 })
            {
                data.Add(w, h, input, LetterboxAnchor.Center);
                data.Add(w, h, input, LetterboxAnchor.TopLeft);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RoundTripAndContentEdgesWithinHalfPixel(int w, int h, int input, LetterboxAnchor anchor)
    {
        var t = LetterboxTransform.Create(w, h, input, input, anchor);

        // The resized image must fit, and the source corners must land on the resized image's corners to within
        // the rounding of its size to whole pixels: half a pixel where Ultralytics rounds, under one pixel where YOLOX
        // truncates with int(), and under one pixel when a side below half a pixel is kept at 1 pixel (1x1000 at 320).
        Assert.InRange(t.PadX, 0, input - t.ResizedWidth);
        Assert.InRange(t.PadY, 0, input - t.ResizedHeight);
        float tolX = anchor == LetterboxAnchor.TopLeft || w * t.Scale < 0.5f ? 1f : 0.5f;
        float tolY = anchor == LetterboxAnchor.TopLeft || h * t.Scale < 0.5f ? 1f : 0.5f;
        Assert.Equal(t.PadX, t.ToInputX(0), 4);
        Assert.Equal(t.PadY, t.ToInputY(0), 4);
        Assert.InRange(t.ToInputX(w), t.PadX + t.ResizedWidth - tolX, t.PadX + t.ResizedWidth + tolX);
        Assert.InRange(t.ToInputY(h), t.PadY + t.ResizedHeight - tolY, t.PadY + t.ResizedHeight + tolY);
        // One side fills the input exactly.
        Assert.True(t.ResizedWidth == input || t.ResizedHeight == input, $"{t}");

        var box = new BoxF(w * 0.13f, h * 0.41f, w * 0.77f, h * 0.93f);
        BoxF back = t.ToSource(t.ToInput(box));
        Assert.InRange(back.X1 - box.X1, -0.5f, 0.5f);
        Assert.InRange(back.Y1 - box.Y1, -0.5f, 0.5f);
        Assert.InRange(back.X2 - box.X2, -0.5f, 0.5f);
        Assert.InRange(back.Y2 - box.Y2, -0.5f, 0.5f);
    }

    [Fact]
    public void CentredMatchesUltralyticsArithmetic()
    {
        // 768x576 -> 640: r = 640/768 = 0.8333, new_unpad = (640, 480), dh = 80, top = round(80 - 0.1) = 80.
        var t = LetterboxTransform.Create(768, 576, 640, 640, LetterboxAnchor.Center);
        Assert.Equal((640, 480, 0, 80), (t.ResizedWidth, t.ResizedHeight, t.PadX, t.PadY));
        Assert.Equal(640f / 768f, t.Scale, 6);

        // 1x1000 -> 640: r = 0.64, new width round(0.64) = 1, dw = 319.5, left = round(319.4) = 319.
        var thin = LetterboxTransform.Create(1, 1000, 640, 640, LetterboxAnchor.Center);
        Assert.Equal((1, 640, 319, 0), (thin.ResizedWidth, thin.ResizedHeight, thin.PadX, thin.PadY));

        // 999x3 -> 320: r = 0.3203, new height round(0.961) = 1, dh = 159.5, top = round(159.4) = 159.
        var flat = LetterboxTransform.Create(999, 3, 320, 320, LetterboxAnchor.Center);
        Assert.Equal((320, 1, 0, 159), (flat.ResizedWidth, flat.ResizedHeight, flat.PadX, flat.PadY));
    }

    [Fact]
    public void TopLeftMatchesYoloxArithmetic()
    {
        // YOLOX preproc: r = min(416/576, 416/768) = 0.54167; resized = (int(416.0), int(312.0)); no offset.
        var t = LetterboxTransform.Create(768, 576, 416, 416, LetterboxAnchor.TopLeft);
        Assert.Equal((416, 312, 0, 0), (t.ResizedWidth, t.ResizedHeight, t.PadX, t.PadY));
        // A box at input (100, 50)-(200, 150) maps back by dividing by r.
        BoxF b = t.ToSource(new BoxF(100, 50, 200, 150));
        Assert.Equal(100 / (416f / 768f), b.X1, 3);
        Assert.Equal(150 / (416f / 768f), b.Y2, 3);
    }

    [Fact]
    public void ToSourceClipsToTheImage()
    {
        var t = LetterboxTransform.Create(768, 576, 640, 640, LetterboxAnchor.Center);
        // A box reaching into the top padding and past the right edge.
        BoxF b = t.ToSource(new BoxF(600, 10, 700, 200));
        Assert.Equal(0f, b.Y1);
        Assert.Equal(768f, b.X2);
        Assert.Equal(600 / t.Scale, b.X1, 3);
    }

    [Fact]
    public void RejectsEmptySizes() =>
        Assert.Throws<EdgeException>(() => LetterboxTransform.Create(0, 10, 640, 640, LetterboxAnchor.Center));
}
