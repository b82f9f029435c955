using Edge.Detection;
using Edge.Models;
using OpenCvSharp;

namespace Edge.Tests.DetectionTests;

using Detection = Edge.Detection.Detection;

public class YoloDetectorTests
{
    private static Mat Frame(int index)
    {
        using var capture = new VideoCapture(TestData.VideoPath);
        capture.Set(VideoCaptureProperties.PosFrames, index);
        var m = new Mat();
        Assert.True(capture.Read(m) && !m.Empty());
        return m;
    }

    [Fact]
    public void ReidModelGivenAsDetectorNamesTheFileAndExpectedShapes()
    {
        string path = TestData.Model("osnet_x0_25_msmt17.onnx");
        var ex = Assert.Throws<EdgeException>(() => YoloDetector.Create(new DetectorOptions { Model = path }));
        Assert.Contains(path, ex.Message);
        Assert.Contains("[-1, 512]", ex.Message);
        Assert.Contains("[B, 4+nc, N]", ex.Message);
        Assert.Contains("[B, N, 5+nc]", ex.Message);
    }

    [Fact]
    public void MissingModelErrorComesFromTheResolver()
    {
        var ex = Assert.Throws<EdgeException>(() => YoloDetector.Create(
            new DetectorOptions { Model = "no_such_model" }, resolver: new ModelResolver(TestData.ModelsDir)));
        Assert.Contains(Path.Combine(TestData.ModelsDir, "no_such_model.onnx"), ex.Message);
    }

    [Theory]
    [InlineData(0.25f, 1.5f, 300, "IouThreshold")]
    [InlineData(1.5f, 0.7f, 300, "ScoreThreshold")]
    [InlineData(0.25f, 0.7f, 0, "MaxDetections")]
    public void InvalidOptionsNameTheSetting(float score, float iou, int maxDet, string key)
    {
        var o = new DetectorOptions { ScoreThreshold = score, IouThreshold = iou, MaxDetections = maxDet };
        Assert.Contains(key, Assert.Throws<EdgeException>(o.Validate).Message);
    }

    [Fact]
    public void DefaultsAreUltralyticsPredictDefaults()
    {
        var o = new DetectorOptions();
        Assert.Equal((0.25f, 0.7f, 300), (o.ScoreThreshold, o.IouThreshold, o.MaxDetections));
        Assert.Equal(["CPU"], o.EffectiveProviders);
    }

    [Fact]
    public void ClassFilterByNameAndUnknownClassError()
    {
        using Mat frame = Frame(0);
        using var all = YoloDetector.Create(new DetectorOptions { Model = TestData.Model("yolox_nano.onnx") });
        using var people = YoloDetector.Create(new DetectorOptions { Model = TestData.Model("yolox_nano.onnx"), Classes = ["person"] });
        var a = new List<Detection>();
        var p = new List<Detection>();
        all.Detect(frame, a);
        people.Detect(frame, p);

        Assert.Contains(a, d => d.ClassId != 0); // README: cars/van in frame 0
        Assert.All(p, d => Assert.Equal(0, d.ClassId));
        Assert.Equal(a.Count(d => d.ClassId == 0), p.Count);

        var ex = Assert.Throws<EdgeException>(() =>
            YoloDetector.Create(new DetectorOptions { Model = TestData.Model("yolox_nano.onnx"), Classes = ["unicorn"] }));
        Assert.Contains("'unicorn'", ex.Message);
        Assert.Contains("person", ex.Message);
    }

    [Fact]
    public void StagesOnSeparateSlotsMatchDetectAndAllocateUnder1KbPerFrame()
    {
        using Mat f0 = Frame(0);
        using Mat f1 = Frame(200);
        using var detector = YoloDetector.Create(new DetectorOptions { Model = TestData.Model("yolox_nano.onnx") });
        using DetectorSlot a = detector.CreateSlot();
        using DetectorSlot b = detector.CreateSlot();
        var ra = new List<Detection>(300);
        var rb = new List<Detection>(300);

        // Warm each slot once (first Run on a binding may allocate).
        foreach ((DetectorSlot s, Mat f, List<Detection> r) in new[] { (a, f0, ra), (b, f1, rb) })
        {
            detector.Preprocess(f, s);
            detector.Infer(s);
            detector.Postprocess(s, r);
        }

        const int frames = 4;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < frames / 2; i++)
        {
            detector.Preprocess(f0, a);
            detector.Preprocess(f1, b);
            detector.Infer(b);
            detector.Infer(a);
            detector.Postprocess(a, ra);
            detector.Postprocess(b, rb);
        }
        long perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / frames;
        Assert.True(perFrame < 1024, $"steady state allocated {perFrame} bytes per frame");

        var expected0 = new List<Detection>();
        var expected1 = new List<Detection>();
        detector.Detect(f0, expected0);
        detector.Detect(f1, expected1);
        Assert.Equal(expected0, ra);
        Assert.Equal(expected1, rb);
        Assert.NotEmpty(ra);
    }

    [Fact]
    public void SlotsCanBePostprocessedConcurrently()
    {
        // Ultralytics decoding keeps per-anchor scratch; it must belong to the slot, not the detector.
        using Mat f0 = Frame(0);
        using Mat f1 = Frame(200);
        using var detector = YoloDetector.Create(new DetectorOptions { Model = TestData.Model("yolo11n_w8dq_320.onnx") });
        using DetectorSlot a = detector.CreateSlot();
        using DetectorSlot b = detector.CreateSlot();
        var expectedA = new List<Detection>();
        var expectedB = new List<Detection>();
        foreach ((DetectorSlot s, Mat f, List<Detection> r) in new[] { (a, f0, expectedA), (b, f1, expectedB) })
        {
            detector.Preprocess(f, s);
            detector.Infer(s);
            detector.Postprocess(s, r);
        }
        Assert.NotEqual(expectedA.Count, expectedB.Count); // README: 3 vs 5 people, so a mix-up shows

        int mismatches = 0;
        Parallel.For(0, 2, k =>
        {
            DetectorSlot s = k == 0 ? a : b;
            List<Detection> expected = k == 0 ? expectedA : expectedB;
            var r = new List<Detection>();
            for (int i = 0; i < 200; i++)
            {
                detector.Postprocess(s, r);
                if (!r.SequenceEqual(expected))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void DetectBatchMatchesSingleFrames()
    {
        using Mat f0 = Frame(0);
        using Mat f1 = Frame(400);
        using var detector = YoloDetector.Create(new DetectorOptions { Model = TestData.Model("yolox_nano.onnx") });
        Assert.False(detector.HasDynamicBatch);
        using YoloDetectorSlot slot = detector.CreateSlot(1);
        List<Detection>[] batch = [[], []];
        detector.DetectBatch([f0, f1], slot, batch);

        var s0 = new List<Detection>();
        var s1 = new List<Detection>();
        detector.Detect(f0, s0);
        detector.Detect(f1, s1);
        Assert.Equal(s0, batch[0]);
        Assert.Equal(s1, batch[1]);
        Assert.Throws<EdgeException>(() => detector.CreateSlot(2)); // fixed batch of 1
    }

    [Fact]
    public void PreprocessingAgreesWithOpenCvResize()
    {
        // Independent reference: cv2.resize INTER_LINEAR (what Ultralytics uses), then HWC->CHW, BGR->RGB, /255.
        using Mat frame = Frame(100);
        var pre = new LetterboxPreprocessor(640, 640, PixelFormat.Rgb01Centered);
        var tensor = new float[pre.TensorLength];
        var t = RunPreprocessor(pre, frame, tensor);
        using var resized = new Mat();
        Cv2.Resize(frame, resized, new Size(t.ResizedWidth, t.ResizedHeight), 0, 0, InterpolationFlags.Linear);

        int worst = 0;
        for (int y = 0; y < t.ResizedHeight; y += 7)
        {
            for (int x = 0; x < t.ResizedWidth; x += 5)
            {
                Vec3b bgr = resized.At<Vec3b>(y, x);
                int o = (t.PadY + y) * 640 + t.PadX + x;
                // OpenCV uses 11-bit fixed-point weights and rounds to bytes: allow one grey level.
                worst = Math.Max(worst, (int)Math.Abs(MathF.Round(tensor[o] * 255f) - bgr.Item2));
                worst = Math.Max(worst, (int)Math.Abs(MathF.Round(tensor[640 * 640 + o] * 255f) - bgr.Item1));
                worst = Math.Max(worst, (int)Math.Abs(MathF.Round(tensor[2 * 640 * 640 + o] * 255f) - bgr.Item0));
            }
        }
        Assert.InRange(worst, 0, 1);
        Assert.Equal(114f / 255f, tensor[0], 6);
    }

    private static unsafe LetterboxTransform RunPreprocessor(LetterboxPreprocessor pre, Mat frame, float[] tensor)
    {
        var src = new ReadOnlySpan<byte>((void*)frame.Data, (int)(frame.Step() * frame.Rows));
        return pre.Run(src, frame.Width, frame.Height, (int)frame.Step(), tensor);
    }
}
