using BenchmarkDotNet.Attributes;
using Edge.Detection;
using OpenCvSharp;

namespace Edge.Bench.Detection;

/// <summary>Letterbox preprocessing of one 768x576 vtest frame into yolov8n_w8dq's 640x640 input tensor (the work the
/// pipeline's decode thread does besides decoding), and decoding one frame of vtest.avi.</summary>
[MemoryDiagnoser]
[InProcess]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class PreprocessBenchmarks
{
    private readonly Mat _frame = new();
    private YoloDetector _detector = null!;
    private DetectorSlot _slot = null!;
    private VideoCapture _capture = null!;
    private readonly Mat _decoded = new();

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable("EDGE_MODELS_DIR", Environment.GetEnvironmentVariable("EDGE_MODELS_DIR") ?? BenchData.ModelsDir);
        _detector = YoloDetector.Create(new DetectorOptions { Model = "yolov8n_w8dq" });
        _slot = _detector.CreateSlot();
        _capture = new VideoCapture(BenchData.VideoPath);
        _capture.Read(_frame);
    }

    [Benchmark]
    public void Letterbox640() => _detector.Preprocess(_frame, _slot);

    [Benchmark]
    public void DecodeVtestFrame()
    {
        if (!_capture.Read(_decoded) || _decoded.Empty())
        {
            _capture.Set(VideoCaptureProperties.PosFrames, 0);
            _capture.Read(_decoded);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _slot.Dispose();
        _detector.Dispose();
        _capture.Dispose();
        _frame.Dispose();
        _decoded.Dispose();
    }
}
