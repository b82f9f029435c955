using BenchmarkDotNet.Attributes;
using Edge.Capture;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Rendering;
using OpenCvSharp;

namespace Edge.Bench.Pipeline;

/// <summary>Cost of the overlay on a 768x576 vtest frame with 8 labelled boxes: the full SkiaSharp path (BGR→BGRA, draw,
/// BGRA→BGR), the two colour conversions alone (the price of Skia having no 24-bit BGR), and the same boxes drawn
/// with OpenCV's own rectangle/putText straight on the BGR frame as a floor.</summary>
[MemoryDiagnoser]
[InProcess]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class OverlayBenchmarks
{
    private readonly Mat _source = new();
    private readonly Mat _frame = new();
    private readonly Mat _bgra = new();
    private readonly FrameResult _result = new();
    private OverlayRenderer _renderer = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var capture = new VideoCapture(BenchData.VideoPath);
        capture.Read(_source);
        _renderer = new OverlayRenderer(["person", "bicycle", "car"]);
        _result.Begin(new FrameStamp(0, 0), _source.Width, _source.Height);
        for (int i = 0; i < 8; i++)
        {
            _result.Detections.Add(new Edge.Detection.Detection(new BoxF(20 + (i * 90), 100, 80 + (i * 90), 300), 0.5f + (i * 0.05f), i % 3));
        }
        _result.PipelineFps = 12.5;
        _source.CopyTo(_frame);
    }

    [Benchmark(Baseline = true)]
    public void SkiaOverlay() => _renderer.Render(_frame, _result);

    [Benchmark]
    public void ColourConversionsOnly()
    {
        Cv2.CvtColor(_frame, _bgra, ColorConversionCodes.BGR2BGRA);
        Cv2.CvtColor(_bgra, _frame, ColorConversionCodes.BGRA2BGR);
    }

    [Benchmark]
    public void OpenCvDrawingFloor()
    {
        foreach (var d in _result.Detections)
        {
            Cv2.Rectangle(_frame, new Rect((int)d.Box.X1, (int)d.Box.Y1, (int)d.Box.Width, (int)d.Box.Height), new Scalar(56, 56, 255), 2);
            Cv2.PutText(_frame, "person", new Point((int)d.Box.X1, (int)d.Box.Y1 - 4), HersheyFonts.HersheySimplex, 0.5, Scalar.White);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _renderer.Dispose();
        _source.Dispose();
        _frame.Dispose();
        _bgra.Dispose();
    }
}
