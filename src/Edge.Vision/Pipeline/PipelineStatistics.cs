namespace Edge.Pipeline;

/// <summary>Per-stage latencies and throughput of one pipeline run. The frame and drop counters and
/// <see cref="Sinks"/> may be read from any thread while the run goes on (<see cref="DetectionPipeline.Current"/>);
/// stage percentiles are for after the run.</summary>
public sealed class PipelineStatistics
{
    private readonly StageStatistics[] _stages;
    private long _frames;
    private long _framesCaptured;
    private long _framesDropped;

    public PipelineStatistics(int capacity, IReadOnlyList<SinkStatistics>? sinks = null)
    {
        _stages = Enum.GetValues<PipelineStage>().Select(s => new StageStatistics(s.ToString(), capacity)).ToArray();
        Sinks = sinks ?? [];
    }

    public StageStatistics this[PipelineStage stage] => _stages[(int)stage];

    public IReadOnlyList<StageStatistics> Stages => _stages;

    /// <summary>Frames that went through every stage.</summary>
    public long Frames
    {
        get => Interlocked.Read(ref _frames);
        internal set => Interlocked.Exchange(ref _frames, value);
    }

    /// <summary>Frames read from the source (equals <see cref="Frames"/> plus in-flight frames in lossless mode).</summary>
    public long FramesCaptured => Interlocked.Read(ref _framesCaptured);

    /// <summary>Frames read but replaced by a newer one before the detector was free (live and real-time runs only).</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>Per-sink delivery and drop counts, in sink order.</summary>
    public IReadOnlyList<SinkStatistics> Sinks { get; }

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>End-to-end throughput: frames / wall time from the first decode to the last sink.</summary>
    public double Fps => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;

    internal void RecordFrame() => Interlocked.Increment(ref _frames);

    internal void RecordCaptured() => Interlocked.Increment(ref _framesCaptured);

    internal void RecordDropped() => Interlocked.Increment(ref _framesDropped);
}
