using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Optimization;

/// <summary>The files of one training run, in Ultralytics' layout: <c>weights/last.pt</c> and <c>weights/best.pt</c>
/// (each with its JSON metadata beside it), the optimizer state of the last epoch (<c>weights/optimizer.pt</c>, for
/// <c>--resume</c>) and <c>results.csv</c>, one row per epoch.</summary>
public sealed class TrainingRunFolder
{
    public TrainingRunFolder(string outputDir)
    {
        OutputDir = outputDir;
        string weights = Path.Combine(outputDir, "weights");
        Directory.CreateDirectory(weights);
        LastWeights = Path.Combine(weights, "last.pt");
        BestWeights = Path.Combine(weights, "best.pt");
        OptimizerState = Path.Combine(weights, "optimizer.pt");
    }

    public string OutputDir { get; }

    public string LastWeights { get; }

    public string BestWeights { get; }

    public string OptimizerState { get; }

    /// <summary>Resume: the last epoch's weights, and the optimizer's state when it was saved (momentum buffers; runs
    /// of older versions have none and restart it).</summary>
    public void RestoreLast(nn.Module model, OptimizerHelper optimizer)
    {
        model.load(LastWeights);
        if (File.Exists(OptimizerState))
        {
            optimizer.load_state_dict(OptimizerState);
        }
    }

    /// <summary>The epoch's weights and optimizer state, overwriting the previous epoch's.</summary>
    public void SaveLast(nn.Module model, OptimizerHelper optimizer)
    {
        model.save(LastWeights);
        optimizer.save_state_dict(OptimizerState);
    }

    /// <summary>Rewrites <c>results.csv</c>: the header, then one row of invariant-culture numbers per epoch, each
    /// column with its format (e.g. "F5").</summary>
    public void WriteResults(string header, IReadOnlyList<string> formats, IEnumerable<double[]> rows)
    {
        var lines = new List<string> { header };
        lines.AddRange(rows.Select(row => string.Join(',', row.Select((v, i) => v.ToString(formats[i], CultureInfo.InvariantCulture)))));
        File.WriteAllLines(Path.Combine(OutputDir, "results.csv"), lines);
    }
}
