using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Training.Models;
using Edge.Training.Optimization;

namespace Edge.Training.Classification;

/// <summary>The JSON beside a classifier's weights: how to rebuild it and where training stopped.
/// Files: weights/last.pt + last.json (+ optimizer.pt) for resume, weights/best.pt + best.json for use.</summary>
public sealed record ClassifierCheckpoint(ClassifierSpec Spec, int Epoch, double BestAccuracy, int BestEpoch, long Step, IReadOnlyList<EpochMetrics> History)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a diverged loss or a 0 s epoch must not lose the checkpoint
        Converters = { new JsonStringEnumConverter() },
    };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static ClassifierCheckpoint Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"checkpoint metadata not found: {path}");
        }
        return JsonSerializer.Deserialize<ClassifierCheckpoint>(File.ReadAllText(path), Json)
            ?? throw new EdgeException($"{path}: empty checkpoint metadata");
    }

    /// <summary>The JSON that belongs to a weights file (weights/best.pt → weights/best.json).</summary>
    public static string MetadataPath(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");
}
