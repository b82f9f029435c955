using Edge.Appearance;
using Edge.FollowMe;
using Edge.Tracking;

namespace Edge.Cli.Commands;

/// <summary>An appearance source of <c>follow-eval</c> (simulated rows or the sequence's own frames) and the tracker
/// and lock thresholds the product uses with that kind of appearance: <c>edge follow --reid</c>'s for a re-id model,
/// the defaults for the colour histogram (docs/crop-models.md).</summary>
/// <param name="Name">What the JSON output reports.</param>
/// <param name="Reid">True for re-id embeddings, false for the colour histogram.</param>
internal abstract record FollowEvalAppearance(string Name, bool Reid)
{
    public TrackerOptions Tracker(TrackerOptions options, bool fuse) =>
        Reid ? CropModelFactory.ForReid(options with { Appearance = fuse }) : options with { Appearance = fuse };

    public FollowOptions Lock(FollowOptions options) => Reid ? CropModelFactory.ForReid(options) : options;
}
