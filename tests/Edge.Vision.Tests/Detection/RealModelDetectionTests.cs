using Edge.Detection;
using Edge.Geometry;
using Edge.Models;
using OpenCvSharp;

namespace Edge.Tests.DetectionTests;

using Detection = Edge.Detection.Detection;

/// <summary>Real models on vtest.avi (768x576). Person counts were counted by eye and agree with the models README
/// (/work/shared/models/README.md, "Verification done": frame 0 has 3 people, frame 200 has 7; person score &gt; 0.4).</summary>
public sealed class RealModelDetectionTests : IClassFixture<RealModelDetectionTests.Frames>
{
    private const float PersonScore = 0.4f;
    private readonly Frames _frames;

    public RealModelDetectionTests(Frames frames) => _frames = frames;

    public sealed class Frames : IDisposable
    {
        public Frames()
        {
            using var capture = new VideoCapture(TestData.VideoPath);
            Frame0 = Read(capture, 0);
            Frame200 = Read(capture, 200);
        }

        public Mat Frame0 { get; }
        public Mat Frame200 { get; }

        public void Dispose()
        {
            Frame0.Dispose();
            Frame200.Dispose();
        }

        private static Mat Read(VideoCapture capture, int index)
        {
            capture.Set(VideoCaptureProperties.PosFrames, index);
            var m = new Mat();
            Assert.True(capture.Read(m) && !m.Empty(), $"could not read frame {index} of {TestData.VideoPath}");
            return m;
        }
    }

    internal static YoloDetector Open(string file) => YoloDetector.Create(
        new DetectorOptions { Model = TestData.Model(file), ScoreThreshold = 0.25f, IouThreshold = 0.45f });

    internal static List<Detection> People(YoloDetector detector, Mat frame)
    {
        var all = new List<Detection>();
        detector.Detect(frame, all);
        return [.. all.Where(d => d.ClassId == 0 && d.Score > PersonScore)];
    }

    [Fact]
    public void Yolov8nFindsThreePeopleInFrame0AndSevenInFrame200()
    {
        using YoloDetector detector = Open("yolov8n_w8dq.onnx");
        Assert.Equal(DetectorLayout.UltralyticsV8, detector.Model.Layout);
        Assert.Equal("CPU", detector.ExecutionProvider);

        List<Detection> f0 = People(detector, _frames.Frame0);
        List<Detection> f200 = People(detector, _frames.Frame200);

        Assert.Equal(3, f0.Count);
        Assert.Equal(7, f200.Count);
        foreach (Detection d in f0.Concat(f200))
        {
            Assert.True(d.Box.X1 >= 0 && d.Box.Y1 >= 0 && d.Box.X2 <= 768 && d.Box.Y2 <= 576, $"box {d.Box} outside the 768x576 frame");
            // People in this plaza are 30-150 px tall and taller than wide.
            Assert.InRange(d.Box.Height, 20f, 250f);
            Assert.True(d.Box.Height > d.Box.Width, $"person box {d.Box} is wider than tall");
        }
    }

    [Fact]
    public void ThreeModelsAgreeOnPersonBoxes()
    {
        List<Detection> v8a, v8b, v11a, v11b, xa, xb;
        using (YoloDetector d = Open("yolov8n_w8dq.onnx"))
        {
            (v8a, v8b) = (People(d, _frames.Frame0), People(d, _frames.Frame200));
        }
        using (YoloDetector d = Open("yolo11n_w8dq_320.onnx"))
        {
            Assert.Equal(320, d.Model.InputWidth);
            (v11a, v11b) = (People(d, _frames.Frame0), People(d, _frames.Frame200));
        }
        using (YoloDetector d = Open("yolox_nano.onnx"))
        {
            Assert.Equal(DetectorLayout.YoloXGrid, d.Model.Layout);
            Assert.Equal(PixelFormat.Bgr255TopLeft, d.Model.Pixels);
            (xa, xb) = (People(d, _frames.Frame0), People(d, _frames.Frame200));
        }

        // README: frame 0, yolo11n_320 finds the same 3 people; YOLOX finds them plus a false positive on a sign post.
        Assert.Equal(3, v11a.Count);
        Assert.Equal(4, xa.Count);
        Assert.Equal(3, Matched(v8a, v11a));
        Assert.Equal(3, Matched(v8a, xa));
        // Frame 200: the 320 model misses the two smallest people (5 of 7), YOLOX finds all 7 plus the sign post.
        Assert.Equal(5, v11b.Count);
        Assert.Equal(5, Matched(v11b, v8b));
        Assert.Equal(8, xb.Count);
        Assert.Equal(7, Matched(v8b, xb));
    }

    /// <summary>Boxes of <paramref name="reference"/> with a partner of IoU &gt;= 0.5 in <paramref name="other"/>.</summary>
    private static int Matched(List<Detection> reference, List<Detection> other) =>
        reference.Count(r => other.Any(o => r.Box.IoU(o.Box) >= 0.5f));
}
