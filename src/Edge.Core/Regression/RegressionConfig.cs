using System.Text.Json.Nodes;
using Edge.FollowMe;

namespace Edge.Regression;

/// <summary>One scripted Follow Me action: at <see cref="Frame"/> (0-based) select a target (same syntax as
/// <c>edge follow --select</c>) or release it ("release").</summary>
public sealed record FollowScriptStep(long Frame, string Action);

/// <summary>Everything that decides a replay's outputs besides the video and the model weights: detector thresholds,
/// tracker and its parameter overrides, the scripted follow selection, the ONNX Runtime thread count. Stored in the
/// golden manifest; a <c>--config</c> file with the same fields overrides it field by field.</summary>
public sealed record RegressionConfig
{
    public string Model { get; init; } = "yolov8n_w8dq";

    public float Conf { get; init; } = 0.25f;

    public float Iou { get; init; } = 0.7f;

    public string[] Classes { get; init; } = ["person"];

    /// <summary>default, reference or sort (as <c>edge track --tracker</c>).</summary>
    public string Tracker { get; init; } = "default";

    /// <summary>TrackerOptions properties to change from the named configuration (camelCase names, e.g.
    /// <c>{"trackHighThresh":0.6}</c>); ignored for sort.</summary>
    public JsonObject? TrackerOverrides { get; init; }

    /// <summary>PanTilt or YawForward.</summary>
    public string Steering { get; init; } = "PanTilt";

    public IReadOnlyList<FollowScriptStep> FollowScript { get; init; } = [new(0, "largest")];

    /// <summary>ONNX Runtime intra-op threads; 1 makes CPU inference independent of the core count (docs/regression.md).</summary>
    public int Threads { get; init; } = 1;

    public long? MaxFrames { get; init; }

    /// <summary>Throws <see cref="EdgeException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (!(Conf is >= 0 and < 1) || !(Iou is > 0 and <= 1))
        {
            throw new EdgeException($"config: conf must be in [0, 1) and iou in (0, 1]; got conf {Conf}, iou {Iou}");
        }
        if (Tracker is not ("default" or "reference" or "sort"))
        {
            throw new EdgeException($"config: tracker must be default, reference or sort; got '{Tracker}'");
        }
        if (Steering is not ("PanTilt" or "YawForward"))
        {
            throw new EdgeException($"config: steering must be PanTilt or YawForward; got '{Steering}'");
        }
        if (Threads < 0 || MaxFrames is < 1)
        {
            throw new EdgeException("config: threads must be >= 0 and maxFrames >= 1");
        }
        if (FollowScript.Any(s => s.Frame < 0 || string.IsNullOrWhiteSpace(s.Action)))
        {
            throw new EdgeException("config: every followScript step needs a frame >= 0 and an action");
        }
        _ = ParseFollowScript();
    }

    /// <summary>The script's steps: a selection, or null for "release". Throws <see cref="EdgeException"/> naming the
    /// step (its frame and action) whose action is not the <c>edge follow --select</c> grammar.</summary>
    public IReadOnlyList<(long Frame, TargetSelection? Selection)> ParseFollowScript() =>
        FollowScript.Select(s => (s.Frame, s.Action.Trim().Equals("release", StringComparison.OrdinalIgnoreCase)
            ? (TargetSelection?)null
            : TargetSelection.Parse(s.Action, $"config: followScript step at frame {s.Frame}: action"))).ToList();
}

/// <summary>manifest.json beside the goldens: why and from what they were made, with which tolerances, and what a
/// person checked by eye.</summary>
public sealed record RegressionManifest
{
    public string Reason { get; init; } = "";

    public DateTimeOffset Created { get; init; }

    public string Source { get; init; } = "";

    public string ModelName { get; init; } = "";

    public string ModelSha256 { get; init; } = "";

    public string ExecutionProvider { get; init; } = "";

    public RegressionConfig Config { get; init; } = new();

    public RegressionTolerances Tolerances { get; init; } = new();

    /// <summary>Golden file name → sha256 of its (decompressed) content, so a hand-edited golden is noticed.</summary>
    public SortedDictionary<string, string> Files { get; init; } = [];

    /// <summary>What was checked by eye, in the reviewer's words. An update keeps the previous notes with a prefix
    /// saying they were made for an earlier golden.</summary>
    public IReadOnlyList<string> Review { get; init; } = [];

    /// <summary>Earlier reasons, newest first.</summary>
    public IReadOnlyList<string> History { get; init; } = [];
}
