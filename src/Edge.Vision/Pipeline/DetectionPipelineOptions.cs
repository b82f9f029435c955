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

    /// <summary>Read a file source at its own frame rate, as a camera would deliver it (<c>--realtime</c>): the
    /// capture thread is paced by the frame timestamps and, like a live source, hands over only the newest frame,
    /// dropping (and counting) those the detector had no time for. Live sources always work this way.</summary>
    public bool Realtime { get; init; }

    /// <summary>Whether a slow sink makes the pipeline wait or drops its own frames.</summary>
    public SinkOverflow SinkOverflow { get; init; } = SinkOverflow.Auto;

    /// <summary>Frames each sink may have queued with <see cref="SinkOverflow.Drop"/> before it drops.</summary>
    public int SinkQueueCapacity { get; init; } = 4;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FramesInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(StatisticsCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SinkQueueCapacity, 1);
        if (MaxFrames is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrames), MaxFrames, "must be at least 1 or null");
        }
    }
}
