namespace Edge.Service.Metrics;

/// <summary>Prometheus metric types (text exposition format 0.0.4, "# TYPE" line).</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
