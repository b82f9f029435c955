using System.CommandLine;
using System.Globalization;
using Edge.Appearance;
using Edge.Models;
using Edge.Pipeline;
using Edge.Tracking;
using Spectre.Console;

namespace Edge.Cli;

/// <summary>The crop-model options of <c>track</c> and <c>follow</c> (docs/tracking.md "Crop models"): a re-id
/// network for appearance (<c>--reid</c>) and a secondary classifier on track crops (<c>--classifier</c>). With
/// neither, the verbs behave and write exactly as before.</summary>
public sealed class CropModelOptions
{
    /// <summary>OSNet cosine similarities: same person ≥ ~0.7, different people 0.3–0.6 (models README); the
    /// tracker's fusion threshold (cosine distance / 2) and Follow Me's acceptance floor follow from that.</summary>
    public const float ReidAppearanceThresh = 0.15f;
    public const float ReidMinFollowSimilarity = 0.6f;

    public Option<string?> Reid { get; } = new("--reid") { Description = "Appearance source: 'histogram' (the default colour histogram) or a re-id ONNX model name or path, e.g. osnet_x0_25_msmt17 (input [N,3,256,128], output [N,D])." };
    public Option<int> ReidBudget { get; } = new("--reid-budget") { Description = "Most crops embedded per frame by the re-id model (new, ambiguous and Follow Me candidates first).", DefaultValueFactory = _ => 8 };
    public Option<string?> Classifier { get; } = new("--classifier") { Description = "Secondary classifier ONNX model (e.g. exported by edge-train classify) run on track crops; adds label/label_conf to tracks." };
    public Option<string[]> ClassifyClasses { get; } = new("--classify-classes") { Description = "Detector classes whose tracks are classified.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["person"] };
    public Option<int> ClassifyEvery { get; } = new("--classify-every") { Description = "Classify each track at most every N frames.", DefaultValueFactory = _ => 5 };
    public Option<int> ClassifyMinVotes { get; } = new("--classify-min-votes") { Description = "Classifications a track needs before its smoothed label is shown.", DefaultValueFactory = _ => 3 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Reid, ReidBudget, Classifier, ClassifyClasses, ClassifyEvery, ClassifyMinVotes })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>True when a re-id network (not the histogram) is configured.</summary>
    public bool UsesReidModel(ParseResult parse) => parse.GetValue(Reid) is { Length: > 0 } r && r != "histogram";

    /// <summary>The tracking step for a tracker name, with the configured appearance source.</summary>
    public TrackingAnalyzer CreateTracking(ParseResult parse, string trackerName, double fps, IReadOnlyList<string> classNames)
    {
        if (!UsesReidModel(parse))
        {
            return TrackingAnalyzer.Create(trackerName, fps);
        }
        if (trackerName == "sort")
        {
            throw new EdgeException("--reid needs the default or reference tracker (SORT has no appearance).");
        }
        int budget = parse.GetValue(ReidBudget);
        if (budget < 1)
        {
            throw new EdgeException($"--reid-budget must be at least 1; got {budget}");
        }
        string path = new ModelResolver().Resolve(parse.GetValue(Reid)!);
        var embedder = new OnnxReidEmbedder(path);
        var options = (trackerName == "reference" ? TrackerOptions.Reference : TrackerOptions.Default) with { AppearanceThresh = ReidAppearanceThresh };
        int person = IndexOf(classNames, "person");
        return new TrackingAnalyzer(new ByteTracker(options, fps > 0 ? fps : 30), options.CameraMotionCompensation, embedder,
            new EmbeddingScheduleOptions { Budget = budget }, person >= 0 ? [person] : []);
    }

    /// <summary>The secondary classifier stage, or null when no <c>--classifier</c> is given.</summary>
    public ClassificationAnalyzer? CreateClassification(ParseResult parse, IReadOnlyList<string> classNames)
    {
        if (parse.GetValue(Classifier) is not { Length: > 0 } model)
        {
            return null;
        }
        var ids = new List<int>();
        foreach (string name in parse.GetValue(ClassifyClasses) ?? [])
        {
            int id = int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : IndexOf(classNames, name);
            if (id < 0 || id >= classNames.Count)
            {
                throw new EdgeException($"--classify-classes: '{name}' is not a class of the detector ({string.Join(", ", classNames)}).");
            }
            ids.Add(id);
        }
        var options = new ClassificationOptions
        {
            Classes = ids,
            EveryFrames = parse.GetValue(ClassifyEvery),
            MinVotes = parse.GetValue(ClassifyMinVotes),
        };
        options.Validate();
        return new ClassificationAnalyzer(new SecondaryClassifier(new ModelResolver().Resolve(model)), options);
    }

    /// <summary>Latency of the crop-model stages (part of the analysis stage above), when any ran.</summary>
    public static void WriteSummary(IAnsiConsole console, TrackingAnalyzer tracking, ClassificationAnalyzer? classification)
    {
        var table = new Table().Title("crop models").AddColumn("stage").AddColumn("model")
            .AddColumn(new TableColumn("mean ms").RightAligned()).AddColumn(new TableColumn("p95 ms").RightAligned())
            .AddColumn(new TableColumn("crops").RightAligned());
        bool any = false;
        if (tracking.Embedder is OnnxReidEmbedder reid && tracking.EmbeddingLatency.Count > 0)
        {
            AddRow(table, tracking.EmbeddingLatency, reid.Name, reid.Crops);
            any = true;
        }
        if (classification is not null && classification.Latency.Count > 0)
        {
            AddRow(table, classification.Latency, classification.Classifier.Name, classification.Crops);
            any = true;
        }
        if (any)
        {
            console.Write(table);
        }
    }

    private static void AddRow(Table table, StageStatistics stage, string model, long crops) =>
        table.AddRow(stage.Name, Markup.Escape(model),
            stage.Mean.ToString("0.00", CultureInfo.InvariantCulture),
            stage.P95.ToString("0.00", CultureInfo.InvariantCulture),
            crops.ToString(CultureInfo.InvariantCulture));

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
