using Edge.Capture;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Pipeline;

/// <summary>Everything the pipeline knows about one frame after detection and analysis. Instances are pooled
/// and reused: analyzers and sinks may read it only during their call and must copy what they keep.</summary>
public sealed class FrameResult
{
    public FrameResult(int detectionCapacity = 128)
    {
        Detections = new List<Edge.Detection.Detection>(detectionCapacity);
        Tracks = new List<TrackView>(detectionCapacity);
    }

    private float[] _appearanceCopy = [];
    private bool[] _freshCopy = [];

    public long FrameIndex { get; private set; }

    /// <summary>Source frames since the previous processed frame: 1 unless frames were dropped (newest-frame mode,
    /// <c>--realtime</c>) or a live source was down for a while. Trackers and Follow Me advance their motion models and
    /// clocks by it, so their settings keep their meaning in seconds at the source's frame rate.</summary>
    public int FrameStep { get; private set; } = 1;

    /// <summary>Seconds since the start of the source (index / fps for files, wall clock for live sources).</summary>
    public double Seconds { get; private set; }

    public int SourceWidth { get; private set; }

    public int SourceHeight { get; private set; }

    /// <summary>Detections in source pixels, filled by the detector's postprocess stage.</summary>
    public List<Edge.Detection.Detection> Detections { get; }

    /// <summary>Tracks after the tracker's update; filled by a tracking <see cref="IFrameAnalyzer"/>, empty otherwise.</summary>
    public List<TrackView> Tracks { get; }

    /// <summary>Previous-to-current camera motion estimated by the tracking analyzer (identity when off).</summary>
    public Affine2D CameraMotion { get; set; } = Affine2D.Identity;

    /// <summary>Appearance vectors of <see cref="Detections"/>, row-major, <see cref="AppearanceDimension"/> floats
    /// per detection; set by the tracking analyzer when appearance is on, owned by it (valid during this frame).</summary>
    public ReadOnlyMemory<float> Appearance { get; set; }

    public int AppearanceDimension { get; set; }

    /// <summary>Per detection, true when its <see cref="Appearance"/> row was computed from this frame's pixels; false
    /// when it is the track gallery's mean (or zeros) because the embedding budget went elsewhere. Empty when every
    /// row is fresh. Owned by the tracking analyzer, valid during this frame.</summary>
    public ReadOnlyMemory<bool> FreshAppearance { get; set; }

    /// <summary>Follow Me state for this frame; set by a Follow Me analyzer, null otherwise.</summary>
    public FollowStatus? Follow { get; set; }

    /// <summary>Time the tracking analyzer spent computing appearance embeddings this frame, milliseconds.</summary>
    public double EmbeddingMs { get; set; }

    /// <summary>Crops embedded this frame (the scheduler's choice within its budget).</summary>
    public int EmbeddedCrops { get; set; }

    /// <summary>Time the secondary classifier stage spent this frame, milliseconds (0 when none runs).</summary>
    public double ClassificationMs { get; set; }

    /// <summary>Crops classified this frame.</summary>
    public int ClassifiedCrops { get; set; }

    /// <summary>Smoothed end-to-end frames per second at the time this frame left postprocessing.</summary>
    public double PipelineFps { get; set; }

    /// <summary>Makes this result a copy of <paramref name="source"/> that stays valid after the source is reused
    /// (a queued sink works on its own copy). Lists and the appearance buffer keep their capacity, so copying the
    /// same sizes again allocates nothing.</summary>
    public void CopyFrom(FrameResult source)
    {
        ArgumentNullException.ThrowIfNull(source);
        FrameIndex = source.FrameIndex;
        FrameStep = source.FrameStep;
        Seconds = source.Seconds;
        SourceWidth = source.SourceWidth;
        SourceHeight = source.SourceHeight;
        Detections.Clear();
        Detections.AddRange(source.Detections);
        Tracks.Clear();
        Tracks.AddRange(source.Tracks);
        CameraMotion = source.CameraMotion;
        Appearance = Copy(source.Appearance, ref _appearanceCopy);
        AppearanceDimension = source.AppearanceDimension;
        FreshAppearance = Copy(source.FreshAppearance, ref _freshCopy);
        Follow = source.Follow;
        PipelineFps = source.PipelineFps;
    }

    private static ReadOnlyMemory<T> Copy<T>(ReadOnlyMemory<T> source, ref T[] buffer)
    {
        if (source.IsEmpty)
        {
            return ReadOnlyMemory<T>.Empty;
        }
        ScratchArray.EnsureLength(ref buffer, source.Length);
        source.Span.CopyTo(buffer);
        return buffer.AsMemory(0, source.Length);
    }

    /// <summary>Resets the result for a new frame, keeping list capacity.</summary>
    /// <param name="frameStep">See <see cref="FrameStep"/>; at least 1.</param>
    public void Begin(FrameStamp stamp, int sourceWidth, int sourceHeight, int frameStep = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameStep, 1);
        FrameIndex = stamp.Index;
        FrameStep = frameStep;
        Seconds = stamp.Seconds;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Detections.Clear();
        Tracks.Clear();
        Follow = null;
        CameraMotion = Affine2D.Identity;
        Appearance = ReadOnlyMemory<float>.Empty;
        AppearanceDimension = 0;
        FreshAppearance = ReadOnlyMemory<bool>.Empty;
        EmbeddingMs = 0;
        EmbeddedCrops = 0;
        ClassificationMs = 0;
        ClassifiedCrops = 0;
        PipelineFps = 0;
    }
}
