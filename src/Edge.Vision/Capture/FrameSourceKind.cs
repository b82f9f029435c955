namespace Edge.Capture;

/// <summary>How <see cref="FrameSourceFactory"/> understood a source string.</summary>
public enum FrameSourceKind
{
    VideoFile,
    Image,
    ImageFolder,
    Camera,
    NetworkStream,
    GStreamerPipeline,
}
