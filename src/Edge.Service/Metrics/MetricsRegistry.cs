using System.Text;
using System.Text.RegularExpressions;

namespace Edge.Service.Metrics;

/// <summary>Holds the process's metrics and renders them in the Prometheus text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/). Series are created once at start-up; updates
/// on the hot path touch only the series object. Every name must start with <c>edge_</c>.</summary>
public sealed partial class MetricsRegistry
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string Prefix = "edge_";

    private sealed class Family(string name, string help, MetricType type)
    {
        public string Name { get; } = name;
        public string Help { get; } = help;
        public MetricType Type { get; } = type;
        public List<MetricSeries> Series { get; } = [];
    }

    private readonly Lock _gate = new();
    private readonly List<Family> _families = [];

    [GeneratedRegex("^edge_[a-zA-Z0-9_]+$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public Counter CreateCounter(string name, string help, params (string Name, string Value)[] labels) =>
        Add(name, help, MetricType.Counter, labels, l => new Counter(l));

    public Gauge CreateGauge(string name, string help, params (string Name, string Value)[] labels) =>
        Add(name, help, MetricType.Gauge, labels, l => new Gauge(l));

    public Histogram CreateHistogram(string name, string help, double[] bounds, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (bounds.Length == 0)
        {
            throw new ArgumentException($"Histogram {name} needs at least one bucket bound.", nameof(bounds));
        }
        for (int i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException($"Histogram {name}: bucket bounds must be finite and strictly increasing (bound {i} = {bounds[i]}).", nameof(bounds));
            }
        }
        foreach (var (label, _) in labels)
        {
            if (label == "le")
            {
                throw new ArgumentException($"Histogram {name}: 'le' is reserved for bucket bounds.", nameof(labels));
            }
        }
        var copy = (double[])bounds.Clone();
        return Add(name, help, MetricType.Histogram, labels, l => new Histogram(l, copy));
    }

    /// <summary>A series whose value is read from <paramref name="read"/> at scrape time.</summary>
    public ObservedValue CreateObserved(string name, string help, MetricType type, Func<double> read, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (type == MetricType.Histogram)
        {
            throw new ArgumentException("Observed series are counters or gauges.", nameof(type));
        }
        return Add(name, help, type, labels, l => new ObservedValue(l, read));
    }

    private T Add<T>(string name, string help, MetricType type, (string Name, string Value)[] labels, Func<string, T> create)
        where T : MetricSeries
    {
        if (!MetricName().IsMatch(name ?? ""))
        {
            throw new ArgumentException($"Metric name '{name}' must match ^edge_[a-zA-Z0-9_]+$.", nameof(name));
        }
        string rendered = RenderLabels(name!, labels);
        lock (_gate)
        {
            var family = _families.Find(f => f.Name == name);
            if (family is null)
            {
                family = new Family(name!, help ?? "", type);
                _families.Add(family);
            }
            else if (family.Type != type)
            {
                throw new ArgumentException($"Metric {name} already exists as a {family.Type}, not a {type}.", nameof(name));
            }
            if (family.Series.Exists(s => s.Labels == rendered))
            {
                throw new ArgumentException($"Metric {name}{{{rendered}}} already exists.", nameof(labels));
            }
            var series = create(rendered);
            family.Series.Add(series);
            return series;
        }
    }

    private static string RenderLabels(string name, (string Name, string Value)[] labels)
    {
        var sb = new StringBuilder();
        foreach (var (label, value) in labels)
        {
            if (!LabelName().IsMatch(label ?? "") || label!.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metric {name}: label name '{label}' is not valid.", nameof(labels));
            }
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(label).Append("=\"");
            foreach (char c in value ?? "")
            {
                // Label value escaping per the exposition format: backslash, double quote, line feed.
                _ = c switch
                {
                    '\\' => sb.Append("\\\\"),
                    '"' => sb.Append("\\\""),
                    '\n' => sb.Append("\\n"),
                    _ => sb.Append(c),
                };
            }
            sb.Append('"');
        }
        return sb.ToString();
    }

    public void WriteTo(TextWriter w)
    {
        lock (_gate)
        {
            foreach (var f in _families)
            {
                w.Write("# HELP ");
                w.Write(f.Name);
                w.Write(' ');
                w.Write(f.Help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
                w.Write('\n');
                w.Write("# TYPE ");
                w.Write(f.Name);
                w.Write(' ');
                w.Write(f.Type switch { MetricType.Counter => "counter", MetricType.Gauge => "gauge", _ => "histogram" });
                w.Write('\n');
                foreach (var s in f.Series)
                {
                    s.WriteSamples(w, f.Name);
                }
            }
        }
    }

    public string Render()
    {
        using var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteTo(w);
        return w.ToString();
    }
}
