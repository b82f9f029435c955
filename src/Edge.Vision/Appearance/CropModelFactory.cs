using System.Globalization;
using Edge.FollowMe;
using Edge.Models;
using Edge.Tracking;

namespace Edge.Appearance;

/// <summary>The crop-model settings shared by <c>edge track</c>/<c>edge follow</c> (<c>--reid</c>, <c>--classifier</c>, ...)
/// and <c>edge run</c> (<c>Edge:Tracking:*</c>), docs/crop-models.md. With neither model, the tracker and Follow Me
/// behave exactly as without crop models.</summary>
public sealed record CropModelSettings
{
    /// <summary>Appearance source: null/empty or "histogram" (colour histogram) or a re-id ONNX model name or path.</summary>
    public string? Reid { get; init; }

    /// <summary>Most crops embedded per frame by the re-id model.</summary>
    public int ReidBudget { get; init; } = 8;

    /// <summary>Secondary classifier ONNX model name or path, or null for none.</summary>
    public string? Classifier { get; init; }

    /// <summary>Detector classes (names or ids) whose tracks are classified.</summary>
    public IReadOnlyList<string> ClassifyClasses { get; init; } = ["person"];

    /// <summary>Classify each track at most every N frames.</summary>
    public int ClassifyEvery { get; init; } = 5;

    /// <summary>Classifications a track needs before its smoothed label is shown.</summary>
    public int ClassifyMinVotes { get; init; } = 3;

    /// <summary>True when a re-id network (not the histogram) is configured.</summary>
    public bool UsesReidModel => Reid is { Length: > 0 } r && r != "histogram";

    /// <summary>True when a secondary classifier is configured.</summary>
    public bool UsesClassifier => Classifier is { Length: > 0 };
}

/// <summary>Builds the crop-model stages from <see cref="CropModelSettings"/>. Error messages name the setting through
/// <c>key</c> ("--reid-budget" for the CLI, "Edge:Tracking:ReidBudget" for the service), given the property name.</summary>
public static class CropModelFactory
{
    /// <summary>OSNet cosine similarities: same person ≥ ~0.7, different people 0.3–0.6 (models README); the
    /// tracker's fusion threshold (cosine distance / 2) follows from that. Follow Me's floor (0.6) and id-switch check
    /// are the <see cref="FollowOptions"/> defaults for both appearance sources.</summary>
    public const float ReidAppearanceThresh = 0.15f;

    /// <summary>With a re-id model a search candidate this similar to the target is vouched for by appearance and may
    /// have reappeared off the constant-velocity prediction (<see cref="FollowOptions.VouchSimilarity"/>): above
    /// different people's p99 (0.70 on vtest.avi), as the histogram's default 0.85 is above its 0.81.</summary>
    public const float ReidVouchSimilarity = 0.8f;

    /// <summary>The setting checks that need no detector (budget, cadence, votes, class list); class names are
    /// checked by <see cref="CreateClassification"/>. The numbers are checked whether or not their model is
    /// configured, so a wrong value does not wait to surface until someone adds the model. Returns the messages,
    /// empty when valid.</summary>
    public static List<string> Validate(CropModelSettings s, Func<string, string> key)
    {
        var errors = new List<string>();
        AtLeastOne(nameof(s.ReidBudget), s.ReidBudget);
        AtLeastOne(nameof(s.ClassifyEvery), s.ClassifyEvery);
        AtLeastOne(nameof(s.ClassifyMinVotes), s.ClassifyMinVotes);
        if (s.UsesClassifier && s.ClassifyClasses.Count == 0)
        {
            errors.Add($"{key(nameof(s.ClassifyClasses))} needs at least one detector class.");
        }
        return errors;

        void AtLeastOne(string setting, int value)
        {
            if (value < 1)
            {
                errors.Add($"{key(setting)} must be at least 1; got {value}");
            }
        }
    }

    /// <summary>The tracking step for a tracker name, with the configured appearance source.</summary>
    public static TrackingAnalyzer CreateTracking(CropModelSettings s, Func<string, string> key, string trackerName, double fps, IReadOnlyList<string> classNames)
    {
        if (!s.UsesReidModel)
        {
            return TrackingAnalyzer.Create(trackerName, fps);
        }
        if (trackerName == "sort")
        {
            throw new EdgeException($"{key(nameof(s.Reid))} needs the default or reference tracker (SORT has no appearance).");
        }
        if (Validate(s, key) is [var first, ..])
        {
            throw new EdgeException(first);
        }
        string path = new ModelResolver().Resolve(s.Reid!);
        var embedder = new OnnxReidEmbedder(path);
        var options = ForReid(trackerName == "reference" ? TrackerOptions.Reference : TrackerOptions.Default);
        int person = IndexOf(classNames, "person");
        return new TrackingAnalyzer(new ByteTracker(options, fps > 0 ? fps : 30), options.CameraMotionCompensation, embedder,
            new EmbeddingScheduleOptions { Budget = s.ReidBudget }, person >= 0 ? [person] : []);
    }

    /// <summary>The secondary classifier stage, or null when no classifier is configured.</summary>
    public static ClassificationAnalyzer? CreateClassification(CropModelSettings s, Func<string, string> key, IReadOnlyList<string> classNames)
    {
        if (!s.UsesClassifier)
        {
            return null;
        }
        if (Validate(s, key) is [var first, ..])
        {
            throw new EdgeException(first);
        }
        var ids = new List<int>();
        foreach (string name in s.ClassifyClasses)
        {
            int id = int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : IndexOf(classNames, name);
            if (id < 0 || id >= classNames.Count)
            {
                throw new EdgeException($"{key(nameof(s.ClassifyClasses))}: '{name}' is not a class of the detector ({string.Join(", ", classNames)}).");
            }
            ids.Add(id);
        }
        var options = new ClassificationOptions
        {
            Classes = ids,
            EveryFrames = s.ClassifyEvery,
            MinVotes = s.ClassifyMinVotes,
        };
        options.Validate();
        return new ClassificationAnalyzer(new SecondaryClassifier(new ModelResolver().Resolve(s.Classifier!)), options);
    }

    /// <summary>Follow Me options for the configured appearance source (<see cref="ForReid"/> with a re-id model).</summary>
    public static FollowOptions ForAppearanceSource(CropModelSettings s, FollowOptions options) =>
        s.UsesReidModel ? ForReid(options) : options;

    /// <summary>Follow Me options for re-id embeddings: the vouch lower than the histogram's (re-id's views of
    /// different people stay lower); the floor and the id-switch check are the same for both sources.</summary>
    public static FollowOptions ForReid(FollowOptions options) => options with { VouchSimilarity = ReidVouchSimilarity };

    /// <summary>Tracker options for re-id embeddings: the fusion threshold of <see cref="ReidAppearanceThresh"/>.</summary>
    public static TrackerOptions ForReid(TrackerOptions options) => options with { AppearanceThresh = ReidAppearanceThresh };

    /// <summary>With a re-id model, lets Follow Me tell the tracker which crops to embed first (the target, or the
    /// candidates while searching) through one shared <see cref="AppearanceDemand"/>.</summary>
    public static void Connect(CropModelSettings s, TrackingAnalyzer tracking, FollowAnalyzer follow)
    {
        if (s.UsesReidModel)
        {
            tracking.Demand = follow.Demand = new AppearanceDemand();
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
