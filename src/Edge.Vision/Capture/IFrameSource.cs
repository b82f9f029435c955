using OpenCvSharp;

namespace Edge.Capture;

/// <summary>Where a frame sits in its source: a 0-based index and a timestamp in seconds from the start.</summary>
public readonly record struct FrameStamp(long Index, double Seconds);

/// <summary>A sequence of BGR 8UC3 frames: a video file, an image, a folder of images, a camera or a network stream.
/// Frames are decoded into a caller-owned <see cref="Mat"/> so a pipeline can pool them.</summary>
/// <remarks>Live sources (<see cref="IsLive"/>) produce frames in real time whether or not they are read; the live
/// service decides whether to drop old frames and how to reconnect. File sources never drop and end with
/// <see cref="TryRead"/> returning false.</remarks>
public interface IFrameSource : IDisposable
{
    /// <summary>What was opened, for messages: the path, URL, camera or pipeline string.</summary>
    string Name { get; }

    int Width { get; }

    int Height { get; }

    /// <summary>Nominal frames per second; a default (25) when the source does not say.</summary>
    double Fps { get; }

    /// <summary>Number of frames when known in advance (files, folders), otherwise null.</summary>
    int? FrameCount { get; }

    /// <summary>True for cameras and network streams: frames arrive in real time and the source may drop or stall.</summary>
    bool IsLive { get; }

    /// <summary>Decodes the next frame into <paramref name="frame"/> (reallocated only when its size or type differs).
    /// Returns false at the end of a finite source or when a live source stops delivering.</summary>
    bool TryRead(Mat frame, out FrameStamp stamp);
}
