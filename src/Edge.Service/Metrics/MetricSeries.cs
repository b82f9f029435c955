using System.Globalization;

namespace Edge.Service.Metrics;

/// <summary>One time series (a metric name plus a fixed label set) and its text-format samples.</summary>
public abstract class MetricSeries
{
    private protected MetricSeries(string labels) => Labels = labels;

    /// <summary>Pre-rendered label pairs without braces, e.g. <c>stage="infer"</c>; empty when unlabelled.</summary>
    internal string Labels { get; }

    internal abstract void WriteSamples(TextWriter w, string name);

    private protected static void WriteSample(TextWriter w, string name, string labels, double value)
    {
        w.Write(name);
        if (labels.Length > 0)
        {
            w.Write('{');
            w.Write(labels);
            w.Write('}');
        }
        w.Write(' ');
        w.Write(FormatValue(value));
        w.Write('\n');
    }

    private protected static void WriteSample(TextWriter w, string name, string labels, long value) =>
        WriteSample(w, name, labels, (double)value);

    /// <summary>Go-style float text as Prometheus expects: "+Inf", "-Inf", "NaN", else shortest round-trip.</summary>
    internal static string FormatValue(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : double.IsNaN(v) ? "NaN"
        : v.ToString("R", CultureInfo.InvariantCulture);
}
