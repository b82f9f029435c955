using Edge.Appearance;

namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Tracking</c>: the crop models of the live pipeline (docs/crop-models.md), as
/// <c>edge follow --reid/--classifier</c>. Without Reid and Classifier the pipeline runs as before.</summary>
public sealed class TrackingServiceOptions
{
    public const string Section = "Edge:Tracking";

    /// <summary>Appearance source: empty or "histogram" (colour histogram) or a re-id ONNX model name or path,
    /// e.g. osnet_x0_25_msmt17.</summary>
    public string? Reid { get; set; }

    /// <summary>Most crops embedded per frame by the re-id model.</summary>
    public int ReidBudget { get; set; } = 8;

    /// <summary>Secondary classifier ONNX model name or path; adds cropLabel/cropLabelConf to tracks.</summary>
    public string? Classifier { get; set; }

    /// <summary>Comma-separated detector classes (names or ids) whose tracks are classified. A string, not a list:
    /// configuration binding appends to a list's default instead of replacing it.</summary>
    public string ClassifyClasses { get; set; } = "person";

    /// <summary>Classify each track at most every N frames.</summary>
    public int ClassifyEvery { get; set; } = 5;

    /// <summary>Classifications a track needs before its smoothed label is shown.</summary>
    public int ClassifyMinVotes { get; set; } = 3;

    /// <summary>The full configuration key of a <see cref="CropModelSettings"/> property, for error messages.</summary>
    public static string Key(string setting) => Section + ":" + setting;

    public CropModelSettings ToSettings() => new()
    {
        Reid = string.IsNullOrWhiteSpace(Reid) ? null : Reid.Trim(),
        ReidBudget = ReidBudget,
        Classifier = string.IsNullOrWhiteSpace(Classifier) ? null : Classifier.Trim(),
        ClassifyClasses = ClassifyClasses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        ClassifyEvery = ClassifyEvery,
        ClassifyMinVotes = ClassifyMinVotes,
    };
}
