using Edge.Evaluation;

namespace Edge.Cli.Commands;

/// <summary><c>follow-eval --appearance</c>: which calibrated appearance model to simulate.</summary>
internal sealed record SimulatedAppearanceSetup(string Name, AppearanceNoiseModel Model, bool Reid) : FollowEvalAppearance(Name, Reid)
{
    public static SimulatedAppearanceSetup? Parse(string name) => name switch
    {
        "none" => null,
        "osnet" => new(name, AppearanceNoiseModel.Osnet, Reid: true),
        "histogram" => new(name, AppearanceNoiseModel.Histogram, Reid: false),
        _ => throw new EdgeException($"--appearance: unknown model '{name}' (none, osnet, histogram)."),
    };
}
