using System.Collections.Concurrent;
using System.Globalization;
using Edge.Evaluation;

namespace Edge.Tests.Evaluation;

/// <summary>Locates the published tracker outputs in /work/shared/data/mot and scores each once per test run
/// (several tests look at the same sequence; evaluating it again would only slow the suite down).</summary>
internal static class MotReferenceCases
{
    private static readonly ConcurrentDictionary<string, Lazy<MotMetrics>> Cache = new();

    /// <summary>Scores <paramref name="sequence"/> of <paramref name="tracker"/> (Lif_T, CEM, SORT, MPNTrack) with
    /// the inputs and rules the README's TrackEval run used.</summary>
    public static MotMetrics Evaluate(string tracker, string sequence) =>
        Cache.GetOrAdd($"{tracker}/{sequence}", _ => new Lazy<MotMetrics>(() => Score(tracker, sequence))).Value;

    private static MotMetrics Score(string tracker, string sequence)
    {
        var (gtPath, resultPath, benchmark, seqInfo) = tracker switch
        {
            // The three Lif_T variants are scored against the FRCNN gt file (identical for DPM/FRCNN/SDP).
            "Lif_T" => (
                TestData.Shared("data", "mot", "mot17", "train", sequence[..8] + "-FRCNN", "gt", "gt.txt"),
                TestData.Shared("data", "mot", "reference-results", "MOT17-train", "Lif_T", "data", sequence + ".txt"),
                MotBenchmark.Mot17,
                TestData.Shared("data", "mot", "mot17", "train", sequence[..8] + "-FRCNN", "seqinfo.ini")),
            "CEM" => (
                TestData.Shared("data", "mot", "pymotmetrics", sequence, "gt.txt"),
                TestData.Shared("data", "mot", "pymotmetrics", sequence, "test.txt"),
                MotBenchmark.Mot15,
                null),
            "SORT" => (
                TestData.Shared("data", "mot", "mot15", "train", sequence, "gt", "gt.txt"),
                TestData.Shared("data", "mot", "reference-results", "MOT15-train", "SORT", "data", sequence + ".txt"),
                MotBenchmark.Mot15,
                null),
            "MPNTrack" => (
                TestData.Shared("data", "mot", "mot20", "train", sequence, "gt", "gt.txt"),
                TestData.Shared("data", "mot", "reference-results", "MOT20-train", "MPNTrack", "data", sequence + ".txt"),
                MotBenchmark.Mot20,
                (string?)null),
            _ => throw new ArgumentException($"Unknown tracker {tracker}", nameof(tracker)),
        };
        var gt = MotChallengeReader.ReadFile(gtPath);
        var result = MotChallengeReader.ReadFile(resultPath);
        // Without seqinfo.ini the sequence ends at the last annotated frame (TUD-Campus 71, TUD-Stadtmitte 179,
        // MOT20-01 429: TrackEval's CLR_Frames in trackeval-reference).
        int frames = seqInfo is null ? Math.Max(gt.MaxFrame, result.MaxFrame) : SequenceInfo.ReadFile(seqInfo).Length;
        return MotEvaluator.EvaluateSequence(gt.Rows, result.Rows, benchmark, frames, sequence);
    }

    /// <summary>Rows of a TrackEval <c>pedestrian_detailed.csv</c> keyed by sequence, then by column.</summary>
    public static Dictionary<string, Dictionary<string, double>> ReadTrackEvalCsv(string benchmarkFolder, string trackerFolder)
    {
        string path = TestData.Shared("data", "mot", "trackeval-reference", benchmarkFolder, trackerFolder, "pedestrian_detailed.csv");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var table = new Dictionary<string, Dictionary<string, double>>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, double>();
            for (int c = 1; c < header.Length; c++)
            {
                row[header[c]] = double.Parse(cells[c], CultureInfo.InvariantCulture);
            }
            table[cells[0]] = row;
        }
        return table;
    }
}
