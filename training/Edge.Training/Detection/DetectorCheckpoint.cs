using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Training.Detection;

/// <summary>How to rebuild a detector from its weights file.</summary>
public sealed record DetectorSpec(string Scale, int NumClasses, int ClassWidth, bool Fused, IReadOnlyList<string> ClassNames, int ImageSize)
{
    public YoloV8 Create() => new(YoloScale.Parse(Scale), NumClasses, Fused, ClassWidth);

    public static DetectorSpec Of(YoloV8 model, IReadOnlyList<string> names, int imageSize) =>
        new(model.Scale.Name, model.NumClasses, model.Head.ClassWidth, model.Fused, names, imageSize);
}

/// <summary>One finished detector epoch (a row of results.csv).</summary>
public sealed record DetectorEpochMetrics(int Epoch, double BoxLoss, double ClassLoss, double DflLoss, double Map50, double Map50To95, double LearningRate, double ImagesPerSecond, double Seconds);

/// <summary>The JSON beside detector weights (weights/best.pt → best.json): <c>Task = "detect"</c>, the spec, where
/// training stopped, and the history. last.pt + last.json + optimizer.pt are what --resume reads.</summary>
public sealed record DetectorCheckpoint(string Task, DetectorSpec Spec, int Epoch, double BestFitness, int BestEpoch, long Step, DetectorEpochMetrics? Baseline, IReadOnlyList<DetectorEpochMetrics> History)
{
    public const string DetectTask = "detect";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static DetectorCheckpoint Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"checkpoint metadata not found: {path}");
        }
        var c = JsonSerializer.Deserialize<DetectorCheckpoint>(File.ReadAllText(path), Json) ?? throw new EdgeException($"{path}: empty checkpoint metadata");
        return c.Task == DetectTask ? c : throw new EdgeException($"{path}: not a detector checkpoint (task '{c.Task}')");
    }

    /// <summary>True when the JSON beside <paramref name="weightsPath"/> describes a detector.</summary>
    public static bool IsDetector(string weightsPath)
    {
        string json = Path.ChangeExtension(weightsPath, ".json");
        if (!File.Exists(json))
        {
            return false;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.TryGetProperty("Task", out var t) && t.GetString() == DetectTask;
    }

    /// <summary>Loads weights written by the detector trainer (model in eval mode).</summary>
    public static DetectorBundle LoadModel(string weightsPath)
    {
        if (!File.Exists(weightsPath))
        {
            throw new EdgeException($"weights not found: {weightsPath}");
        }
        var spec = Load(Path.ChangeExtension(weightsPath, ".json")).Spec;
        var model = spec.Create();
        model.load(weightsPath);
        model.eval();
        return new DetectorBundle(model, spec.ClassNames, spec.ImageSize);
    }
}
