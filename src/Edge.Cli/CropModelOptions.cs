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

    /// <summary>The parsed settings, shared with <c>edge run</c> through <see cref="CropModelFactory"/>; read once, before
    /// any model loads, and checked: the
    /// numbers (<see cref="CropModelFactory.Validate"/>), and that an option of a model is given only with that model
    /// (<c>--classify-every</c> without <c>--classifier</c> would otherwise be ignored without a word).</summary>
    public CropModelSettings Settings(ParseResult parse)
    {
        var s = new CropModelSettings
        {
            Reid = parse.GetValue(Reid),
            ReidBudget = parse.GetValue(ReidBudget),
            Classifier = parse.GetValue(Classifier),
            ClassifyClasses = parse.GetValue(ClassifyClasses) ?? [],
            ClassifyEvery = parse.GetValue(ClassifyEvery),
            ClassifyMinVotes = parse.GetValue(ClassifyMinVotes),
        };
        if (CropModelFactory.Validate(s, Key) is [var first, ..])
        {
            throw new EdgeException(first);
        }
        if (!s.UsesReidModel && parse.GetResult(ReidBudget) is { Implicit: false })
        {
            throw new EdgeException("--reid-budget applies only with a re-id model (--reid <model>).");
        }
        foreach (var option in new Option[] { ClassifyClasses, ClassifyEvery, ClassifyMinVotes })
        {
            if (!s.UsesClassifier && parse.GetResult(option) is { Implicit: false })
            {
                throw new EdgeException($"{option.Name} applies only with --classifier.");
            }
        }
        return s;
    }

    /// <summary>The option name of a <see cref="CropModelSettings"/> property, for error messages.</summary>
    public static string Key(string setting) => setting switch
    {
        nameof(CropModelSettings.Reid) => "--reid",
        nameof(CropModelSettings.ReidBudget) => "--reid-budget",
        nameof(CropModelSettings.Classifier) => "--classifier",
        nameof(CropModelSettings.ClassifyClasses) => "--classify-classes",
        nameof(CropModelSettings.ClassifyEvery) => "--classify-every",
        nameof(CropModelSettings.ClassifyMinVotes) => "--classify-min-votes",
        _ => setting,
    };

    /// <summary>The tracking step for a tracker name, with the configured appearance source.</summary>
    public static TrackingAnalyzer CreateTracking(CropModelSettings settings, string trackerName, double fps, IReadOnlyList<string> classNames) =>
        CropModelFactory.CreateTracking(settings, Key, trackerName, fps, classNames);

    /// <summary>The secondary classifier stage, or null when no <c>--classifier</c> is given.</summary>
    public static ClassificationAnalyzer? CreateClassification(CropModelSettings settings, IReadOnlyList<string> classNames) =>
        CropModelFactory.CreateClassification(settings, Key, classNames);

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
}
