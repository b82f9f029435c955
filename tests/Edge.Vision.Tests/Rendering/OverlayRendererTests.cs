using System.Globalization;
using Edge.Capture;
using Edge.Detection;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Tracking;
using OpenCvSharp;
using SkiaSharp;

namespace Edge.Tests.Rendering;

public class OverlayRendererTests
{
    private static FrameResult ResultWith(params Edge.Detection.Detection[] detections)
    {
        var r = new FrameResult();
        r.Begin(new FrameStamp(0, 0), 200, 160);
        r.Detections.AddRange(detections);
        return r;
    }

    [Fact]
    public void BoxEdgesTakeTheClassColourAndTheInsideStaysUntouched()
    {
        using var frame = new Mat(160, 200, MatType.CV_8UC3, Scalar.All(0));
        using var renderer = new OverlayRenderer(["person"], new OverlayOptions { BoxThickness = 3, ShowFps = false });
        renderer.Render(frame, ResultWith(new Edge.Detection.Detection(new BoxF(50, 60, 150, 140), 0.9f, 0)));

        // Palette colour of class 0 is #FF3838 -> BGR (0x38, 0x38, 0xFF). A 3 px stroke centred on x = 50 covers 49..51.
        SKColor expected = OverlayPalette.For(0);
        Vec3b left = frame.At<Vec3b>(100, 50);
        Assert.Equal((expected.Blue, expected.Green, expected.Red), (left.Item0, left.Item1, left.Item2));
        Vec3b bottom = frame.At<Vec3b>(140, 100);
        Assert.Equal((expected.Blue, expected.Green, expected.Red), (bottom.Item0, bottom.Item1, bottom.Item2));
        Assert.Equal(new Vec3b(0, 0, 0), frame.At<Vec3b>(100, 100));
        Assert.Equal(new Vec3b(0, 0, 0), frame.At<Vec3b>(10, 190));
        // The label tag sits above the box (y 42..60): mostly the class colour, with white glyph pixels.
        using var tag = new Mat(frame, new Rect(50, 42, 60, 17));
        Assert.True(CountNear(tag, expected) > 200, "label background missing");
        Assert.True(CountNear(tag, SKColors.White) > 5, "label text missing");
    }

    [Fact]
    public void LabelOfABoxAtTheRightEdgeStaysInsideTheFrame()
    {
        using var frame = new Mat(160, 200, MatType.CV_8UC3, Scalar.All(0));
        using var renderer = new OverlayRenderer(["person"], new OverlayOptions { BoxThickness = 1, ShowFps = false });
        renderer.Render(frame, ResultWith(new Edge.Detection.Detection(new BoxF(185, 60, 199, 140), 0.9f, 0)));

        // "person 0.90" is ~80 px wide: drawn from x = 185 most of it would fall off the 200 px frame, so the tag
        // shifts left and ends at the right edge (tag rows y 42..59).
        SKColor expected = OverlayPalette.For(0);
        using var shifted = new Mat(frame, new Rect(120, 42, 60, 17));
        Assert.True(CountNear(shifted, expected) > 200, "label background not moved inside the frame");
        using var edge = new Mat(frame, new Rect(190, 42, 10, 17));
        Assert.True(CountNear(edge, expected) + CountNear(edge, SKColors.White) > 100, "tag should reach the right edge");
    }

    [Fact]
    public void FollowTargetIsHighlightedAndOthersDimmed()
    {
        using var frame = new Mat(160, 200, MatType.CV_8UC3, Scalar.All(0));
        using var renderer = new OverlayRenderer(["person"], new OverlayOptions { ShowLabels = false, ShowFps = false, BoxThickness = 3 });
        var r = ResultWith();
        r.Tracks.Add(new TrackView(7, new BoxF(20, 20, 80, 140), 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0));
        r.Tracks.Add(new TrackView(8, new BoxF(120, 20, 180, 140), 0.9f, 0, TrackState.Confirmed, 0, 1, 0, 0));
        r.Follow = new FollowStatus(7, "locked") { Detail = FollowCommand.Idle with { State = FollowState.Locked, TrackId = 7 } };

        renderer.Render(frame, r);

        // Target: green outline 4 px outside the box (x = 16).
        Assert.Equal(new Vec3b(0, 255, 0), frame.At<Vec3b>(80, 16));
        // Other track: its colour at 35 % opacity over black, so every channel at most 0.35 * 255 + 1.
        SKColor c8 = OverlayPalette.For(8);
        Vec3b dim = frame.At<Vec3b>(80, 120);
        Assert.InRange(dim.Item2, (int)(c8.Red * 0.3), (int)(c8.Red * 0.4) + 1);
        Assert.True(dim.Item0 + dim.Item1 + dim.Item2 > 0);
    }

    [Fact]
    public void RenderingIsRepeatableOnAReusedSurface()
    {
        using var renderer = new OverlayRenderer(["person"]);
        using var a = new Mat(120, 160, MatType.CV_8UC3, new Scalar(30, 60, 90));
        using var b = a.Clone();
        var r = ResultWith(new Edge.Detection.Detection(new BoxF(10, 30, 100, 110), 0.5f, 0));
        r.PipelineFps = 12.3;
        renderer.Render(a, r);
        renderer.Render(b, r);
        Assert.Equal(0, Cv2.Norm(a, b, NormTypes.L1));
        using var original = new Mat(120, 160, MatType.CV_8UC3, new Scalar(30, 60, 90));
        Assert.True(Cv2.Norm(a, original, NormTypes.L1) > 0);
    }

    [Fact]
    public void RenderAllocatesNothingOnceWarm()
    {
        // Tracks with labels and scores, a highlighted follow target, the fps line and the follow command line with
        // numbers that change every frame, on a reused surface: the colour conversions go through NativeCv2, the text
        // blobs are cached and the command line is drawn as cached words, so a steady frame allocates nothing. (A
        // command line formatted into a new string every frame fails this with a string and a text blob per frame.)
        using var renderer = new OverlayRenderer(["person"]);
        using var frame = new Mat(120, 160, MatType.CV_8UC3, new Scalar(30, 60, 90));
        var r = ResultWith(new Edge.Detection.Detection(new BoxF(10, 30, 100, 110), 0.5f, 0));
        r.Tracks.Add(new TrackView(7, new BoxF(10, 30, 100, 110), 0.5f, 0, TrackState.Confirmed, 0, 0, 0, 0));
        r.Tracks.Add(new TrackView(8, new BoxF(100, 30, 150, 110), 0.8f, 0, TrackState.Confirmed, 0, 0, 0, 0));
        r.PipelineFps = 12.3;
        for (int i = 0; i < 40; i++)
        {
            r.Follow = Locked(7, i); // warm-up: caches and pooled buffers reach their size
            renderer.Render(frame, r);
        }
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                r.Follow = Locked(7, i);
                renderer.Render(frame, r);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TheCommandLineShowsEveryNumberToTwoDecimals()
    {
        using var renderer = new OverlayRenderer(["person"]);
        var random = new Random(7);
        float[] specials = [0f, -0.001f, 0.004f, 0.005f, -0.005f, 0.125f, -0.125f, 0.875f, 1f, -1f, 1.3f];
        for (int i = 0; i < 2000; i++)
        {
            float Next(int k) => i < specials.Length ? specials[(i + k) % specials.Length] : (float)((random.NextDouble() * 2.4) - 1.2);
            var follow = new FollowStatus(3, "locked")
            {
                Detail = new FollowCommand(FollowState.Locked, 3, default, true, Next(0), Next(1), Math.Abs(Next(2)), 0, 0, Math.Abs(Next(3))),
                Steering = new SteeringOutput(Next(4), Next(5)),
                Mode = i % 2 == 0 ? SteeringMode.PanTilt : SteeringMode.YawForward,
            };
            string[] words = renderer.CommandWords(follow).ToArray();
            Assert.Equal(["dx", "dy", "h", "conf", "|", follow.Mode.ToString()], [words[0], words[2], words[4], words[6], words[8], words[9]]);
            FollowCommand c = follow.Detail;
            (string Word, float Value, bool Signed)[] numbers =
            [
                (words[1], c.OffsetX, true), (words[3], c.OffsetY, true), (words[5], c.Height, false), (words[7], c.Confidence, false),
                (words[10], follow.Steering.Horizontal, true), (words[11], follow.Steering.Vertical, true),
            ];
            foreach (var (word, value, signed) in numbers)
            {
                // "+0.12" / "-0.30" when signed, "0.45" otherwise; a value that rounds to zero reads "+0.00".
                Assert.Matches(signed ? @"^[+-]\d+\.\d\d$" : @"^\d+\.\d\d$", word);
                Assert.NotEqual("-0.00", word);
                Assert.InRange(double.Parse(word, CultureInfo.InvariantCulture) - value, -0.005001, 0.005001);
            }
        }
    }

    /// <summary>A locked follow status whose offsets, height, confidence and steering change with <paramref name="i"/>.</summary>
    private static FollowStatus Locked(int track, int i) => new(track, "locked")
    {
        Detail = new FollowCommand(FollowState.Locked, track, new BoxF(10, 30, 100, 110), true, -0.5f + (0.01f * i), 0.1f - (0.01f * i), 0.5f, 0, 0, 1f - (0.01f * i)),
        Steering = new SteeringOutput(0.3f - (0.02f * i), -0.01f * i),
        Mode = SteeringMode.PanTilt,
    };

    private static int CountNear(Mat bgr, SKColor color)
    {
        int n = 0, rows = bgr.Rows, cols = bgr.Cols;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                Vec3b p = bgr.At<Vec3b>(y, x);
                if (Math.Abs(p.Item0 - color.Blue) < 12 && Math.Abs(p.Item1 - color.Green) < 12 && Math.Abs(p.Item2 - color.Red) < 12)
                {
                    n++;
                }
            }
        }
        return n;
    }
}
