using Edge.Service.Metrics;

namespace Edge.Service.Web;

/// <summary>The web view's own metrics.</summary>
public sealed class WebMetrics(MetricsRegistry registry)
{
    public Gauge StreamClients { get; } = registry.CreateGauge("edge_web_stream_clients", "MJPEG viewers connected now.");
    public Counter StreamFrames { get; } = registry.CreateCounter("edge_web_stream_frames_total", "JPEG frames sent to MJPEG viewers.");
}
