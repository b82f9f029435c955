using Edge.Appearance;
using Edge.Models;
using Edge.Tracking;

namespace Edge.Cli.Commands;

/// <summary><c>follow-eval --reid</c>: appearance computed from a sequence's own frames (MOTChallenge <c>img1/</c>)
/// as <c>edge follow</c> computes it.</summary>
/// <param name="Name">What the JSON output reports: "histogram" or the model's file name.</param>
/// <param name="ModelPath">The re-id model, null for the colour histogram.</param>
internal sealed record ImageAppearanceSetup(string Name, string? ModelPath) : FollowEvalAppearance(Name, ModelPath is not null)
{
    /// <summary><c>none</c> gives null, <c>histogram</c> the colour histogram, anything else a re-id model name or path.</summary>
    public static ImageAppearanceSetup? Parse(string value) => value switch
    {
        "none" => null,
        "histogram" => new("histogram", null),
        _ => FromModel(value),
    };

    private static ImageAppearanceSetup FromModel(string nameOrPath)
    {
        string path = new ModelResolver().Resolve(nameOrPath);
        return new(Path.GetFileNameWithoutExtension(path), path);
    }

    public IAppearanceEmbedder CreateEmbedder() => ModelPath is null ? new ColorHistogramEmbedder() : new OnnxReidEmbedder(ModelPath);
}
