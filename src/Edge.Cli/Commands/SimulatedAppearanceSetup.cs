using Edge.Appearance;
using Edge.Evaluation;
using Edge.FollowMe;
using Edge.Tracking;

namespace Edge.Cli.Commands;

/// <summary><c>follow-eval --appearance</c>: which calibrated appearance model to simulate, and the tracker and lock
/// thresholds the product uses with that kind of appearance (<c>edge follow --reid</c> for the re-id model, the
/// defaults for the colour histogram; docs/crop-models.md).</summary>
internal sealed record SimulatedAppearanceSetup(string Name, AppearanceNoiseModel Model, float TrackerAppearanceThresh, bool Reid)
{
    public static SimulatedAppearanceSetup? Parse(string name) => name switch
    {
        "none" => null,
        "osnet" => new(name, AppearanceNoiseModel.Osnet, CropModelFactory.ReidAppearanceThresh, Reid: true),
        "histogram" => new(name, AppearanceNoiseModel.Histogram, TrackerOptions.Default.AppearanceThresh, Reid: false),
        _ => throw new EdgeException($"--appearance: unknown model '{name}' (none, osnet, histogram)."),
    };

    public TrackerOptions Tracker(TrackerOptions options, bool fuse) => options with { Appearance = fuse, AppearanceThresh = TrackerAppearanceThresh };

    public FollowOptions Lock(FollowOptions options) => Reid ? CropModelFactory.ForReid(options) : options;
}
