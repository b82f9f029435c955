namespace Edge.Pipeline;

/// <summary>Tuning of <see cref="DetectionPipeline"/>.</summary>
public sealed record DetectionPipelineOptions
{
    /// <summary>Frames in flight (each owns a Mat and a detector slot). Three lets decode+preprocess of frame n+1 and
    /// postprocess+sinks of frame n-1 run while frame n is inferred; more only adds latency.</summary>
    public int FramesInFlight { get; init; } = 3;

    /// <summary>Stop after this many frames (null: until the source ends).</summary>
    public long? MaxFrames { get; init; }

    /// <summary>Samples kept per stage for percentiles when the frame count is unknown (live sources).</summary>
    public int StatisticsCapacity { get; init; } = 8192;
}
