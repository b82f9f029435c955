namespace Edge.Models;

// DetectorLayout and PixelFormat live in src/Edge.Core/Detection/DetectorLayout.cs (same namespace) so the pure
// decoders and preprocessing can use them.

/// <summary>Everything Edge knows about a detection model: where it is, its input, classes and output layout.
/// Read from ONNX metadata first, the manifest second, tensor shapes last.</summary>
public sealed record ModelInfo(
    string Name,
    string Path,
    int InputWidth,
    int InputHeight,
    int BatchSize,
    IReadOnlyList<string> ClassNames,
    DetectorLayout Layout,
    PixelFormat Pixels,
    int Stride,
    string Task)
{
    public int NumClasses => ClassNames.Count;
}
