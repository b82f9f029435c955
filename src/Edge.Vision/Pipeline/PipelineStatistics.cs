namespace Edge.Pipeline;

/// <summary>Per-stage latencies and throughput of one pipeline run.</summary>
public sealed class PipelineStatistics
{
    private readonly StageStatistics[] _stages;

    public PipelineStatistics(int capacity)
    {
        _stages = Enum.GetValues<PipelineStage>().Select(s => new StageStatistics(s.ToString(), capacity)).ToArray();
    }

    public StageStatistics this[PipelineStage stage] => _stages[(int)stage];

    public IReadOnlyList<StageStatistics> Stages => _stages;

    /// <summary>Frames that went through every stage.</summary>
    public long Frames { get; internal set; }

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>End-to-end throughput: frames / wall time from the first decode to the last sink.</summary>
    public double Fps => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}
