namespace Edge.Service.Metrics;

/// <summary>The pipeline's standard metric set, created once. The pipeline updates these from its stages;
/// all updates are allocation-free.</summary>
public sealed class EdgeMetrics
{
    /// <summary>Pipeline stages, in order. Capture and sinks bracket the detector's three stages and the tracker;
    /// embed (re-id, part of track) and classify (secondary classifier) are observed only when those models run.</summary>
    public static readonly string[] Stages = ["capture", "preprocess", "infer", "postprocess", "track", "embed", "classify", "follow", "sinks"];

    /// <summary>Latency bounds in seconds: 1 ms to 1 s, denser around the 10-100 ms a Jetson frame takes.</summary>
    public static readonly double[] LatencyBounds = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.033, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0];

    private readonly Dictionary<string, Histogram> _latency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counter> _dropped = new(StringComparer.Ordinal);

    public EdgeMetrics(MetricsRegistry registry)
    {
        Registry = registry;
        Fps = registry.CreateGauge("edge_fps", "Frames per second processed end to end (moving average).");
        foreach (var stage in Stages)
        {
            _latency[stage] = registry.CreateHistogram("edge_stage_latency_seconds", "Per-stage latency.", LatencyBounds, ("stage", stage));
        }
        foreach (var stage in Stages)
        {
            _dropped[stage] = registry.CreateCounter("edge_dropped_frames_total", "Frames dropped, by the stage that dropped them.", ("stage", stage));
        }
        LiveTracks = registry.CreateGauge("edge_live_tracks", "Confirmed tracks in the last frame.");
        FollowState = registry.CreateGauge("edge_follow_state", "Follow Me state: 0 idle, 1 locked, 2 lost.");
        SourceReconnects = registry.CreateCounter("edge_source_reconnects_total", "Times the video source was reopened after a failure.");
        FramesProcessed = registry.CreateCounter("edge_frames_processed_total", "Frames that went through the whole pipeline.");
        LiveFramesEncoded = registry.CreateCounter("edge_live_frames_encoded_total", "Annotated frames rendered and JPEG-encoded for the web view (only while someone watches).");
    }

    public MetricsRegistry Registry { get; }
    public Gauge Fps { get; }
    public Gauge LiveTracks { get; }
    public Gauge FollowState { get; }
    public Counter SourceReconnects { get; }
    public Counter FramesProcessed { get; }
    public Counter LiveFramesEncoded { get; }

    /// <summary>The latency histogram of a stage in <see cref="Stages"/>; look it up once, keep the reference.</summary>
    public Histogram Latency(string stage) => _latency.TryGetValue(stage, out var h) ? h
        : throw new ArgumentException($"Unknown stage '{stage}'; stages: {string.Join(", ", Stages)}.", nameof(stage));

    /// <summary><c>edge_dropped_frames_total{stage="sink:&lt;name&gt;"}</c>: frames one sink dropped because its queue
    /// was full (live runs). Created once per sink at warm-up; the same name returns the same counter.</summary>
    public Counter SinkDropped(string name)
    {
        string stage = "sink:" + name;
        lock (_dropped)
        {
            if (!_dropped.TryGetValue(stage, out var counter))
            {
                counter = Registry.CreateCounter("edge_dropped_frames_total", "Frames dropped, by the stage that dropped them.", ("stage", stage));
                _dropped[stage] = counter;
            }
            return counter;
        }
    }

    public Counter Dropped(string stage) => _dropped.TryGetValue(stage, out var c) ? c
        : throw new ArgumentException($"Unknown stage '{stage}'; stages: {string.Join(", ", Stages)}.", nameof(stage));
}
