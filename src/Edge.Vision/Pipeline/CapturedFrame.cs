using Edge.Capture;
using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>A frame read by the live capture thread, waiting to be picked up (or replaced by a newer one).</summary>
internal sealed class CapturedFrame : IDisposable
{
    public Mat Image { get; set; } = new();

    public FrameStamp Stamp { get; set; }

    public double DecodeMs { get; set; }

    public void Dispose() => Image.Dispose();
}
