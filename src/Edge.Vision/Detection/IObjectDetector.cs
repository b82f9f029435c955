using Edge.Models;
using OpenCvSharp;

namespace Edge.Detection;

/// <summary>A reusable set of input/output buffers for one inference. Pipelines keep two or three in flight so
/// preprocessing of frame n+1 overlaps inference of frame n.</summary>
public abstract class DetectorSlot : IDisposable
{
    public abstract void Dispose();
}

/// <summary>An object detector split into its three stages so a pipeline can overlap them. Each stage is
/// allocation-free after warm-up. <see cref="Preprocess"/> and <see cref="Postprocess"/> may run on other threads
/// than <see cref="Infer"/>, each on its own slot.</summary>
public interface IObjectDetector : IDisposable
{
    ModelInfo Model { get; }

    /// <summary>Name of the execution provider the session ended up on (e.g. "CPU", "CUDA", "TensorRT").</summary>
    string ExecutionProvider { get; }

    DetectorSlot CreateSlot();

    /// <summary>Letterboxes a BGR 8UC3 frame into the slot's input tensor and remembers the transform.</summary>
    void Preprocess(Mat bgrFrame, DetectorSlot slot);

    void Infer(DetectorSlot slot);

    /// <summary>Decodes, filters and runs NMS; clears <paramref name="results"/> and fills it with boxes in source pixels.</summary>
    void Postprocess(DetectorSlot slot, List<Detection> results);
}
