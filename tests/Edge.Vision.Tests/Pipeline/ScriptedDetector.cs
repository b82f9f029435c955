using Edge.Detection;
using Edge.Geometry;
using Edge.Models;
using OpenCvSharp;

namespace Edge.Tests.Pipeline;

/// <summary>A detector stand-in for pipeline tests: "preprocessing" reads the frame's top-left blue value (the test
/// frames encode their index there), "inference" optionally sleeps, and postprocessing reports one person box whose
/// score is that value / 255, so a test can see which frame each result came from.</summary>
internal sealed class ScriptedDetector(int inferMilliseconds = 0) : IObjectDetector
{
    public static readonly IReadOnlyList<string> Names = ["person", "bicycle"];

    public ModelInfo Model { get; } = new("scripted", "scripted.onnx", 64, 64, 1, Names, DetectorLayout.UltralyticsV8, PixelFormat.Rgb01Centered, 32, "detect");

    public string ExecutionProvider => "CPU";

    public int SlotsCreated { get; private set; }

    public int Inferred;

    public Exception? FailOnInfer { get; set; }

    public DetectorSlot CreateSlot()
    {
        SlotsCreated++;
        return new Slot();
    }

    public void Preprocess(Mat bgrFrame, DetectorSlot slot)
    {
        ((Slot)slot).Value = bgrFrame.At<Vec3b>(0, 0).Item0;
    }

    public void Infer(DetectorSlot slot)
    {
        if (FailOnInfer is { } ex)
        {
            throw ex;
        }
        if (inferMilliseconds > 0)
        {
            Thread.Sleep(inferMilliseconds);
        }
        Interlocked.Increment(ref Inferred);
    }

    public void Postprocess(DetectorSlot slot, List<Edge.Detection.Detection> results)
    {
        results.Clear();
        byte v = ((Slot)slot).Value;
        results.Add(new Edge.Detection.Detection(new BoxF(10, 20, 30 + v, 40), v / 255f, 0));
    }

    public void Dispose()
    {
    }

    private sealed class Slot : DetectorSlot
    {
        public byte Value { get; set; }

        public override void Dispose()
        {
        }
    }
}
