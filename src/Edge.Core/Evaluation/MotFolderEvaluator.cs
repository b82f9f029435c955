namespace Edge.Evaluation;

/// <summary>Scores of one sequence in a folder evaluation.</summary>
/// <param name="Name">Sequence folder name.</param>
/// <param name="Benchmark">Rules used.</param>
/// <param name="FrameCount">Frames scored (seqinfo.ini seqLength, or the last frame in gt/results without it).</param>
/// <param name="Metrics">Scores.</param>
public sealed record MotSequenceResult(string Name, MotBenchmark Benchmark, int FrameCount, MotMetrics Metrics);

/// <summary>Result of <see cref="MotFolderEvaluator.Evaluate"/>.</summary>
/// <param name="Sequences">Per-sequence scores, ordered by name.</param>
/// <param name="Combined">All sequences combined (TrackEval COMBINED_SEQ).</param>
/// <param name="Warnings">Non-fatal problems, e.g. a missing result file scored as empty.</param>
public sealed record MotEvaluationReport(IReadOnlyList<MotSequenceResult> Sequences, MotMetrics Combined, IReadOnlyList<string> Warnings);

/// <summary>Evaluates a MOTChallenge split: <c>&lt;gt&gt;/&lt;SEQ&gt;/gt/gt.txt</c> (+ optional <c>seqinfo.ini</c>) against
/// <c>&lt;results&gt;/&lt;SEQ&gt;.txt</c>.</summary>
public static class MotFolderEvaluator
{
    /// <summary>Names of the sequence folders under <paramref name="gtFolder"/> (those with <c>gt/gt.txt</c>), sorted.</summary>
    public static IReadOnlyList<string> FindSequences(string gtFolder)
    {
        if (!Directory.Exists(gtFolder))
        {
            throw new EdgeException($"Ground-truth folder not found: {gtFolder}");
        }
        var names = Directory.GetDirectories(gtFolder)
            .Where(d => File.Exists(Path.Combine(d, "gt", "gt.txt")))
            .Select(d => Path.GetFileName(d))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            throw new EdgeException($"No sequences in {gtFolder}: expected <SEQ>/gt/gt.txt folders.");
        }
        return names;
    }

    /// <summary>Scores every sequence folder under <paramref name="gtFolder"/>. A sequence without a result file is
    /// scored as an empty result (every gt box missed) and reported in <see cref="MotEvaluationReport.Warnings"/>;
    /// TrackEval stops with an error instead, but a partial run is more useful while developing a tracker and the
    /// warning keeps it visible. <paramref name="benchmark"/> null means detect per sequence.</summary>
    public static MotEvaluationReport Evaluate(
        string gtFolder,
        string resultsFolder,
        MotBenchmark? benchmark = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var names = FindSequences(gtFolder);
        if (!Directory.Exists(resultsFolder))
        {
            throw new EdgeException($"Results folder not found: {resultsFolder}");
        }
        var warnings = new List<string>();
        var results = new List<MotSequenceResult>();
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string dir = Path.Combine(gtFolder, name);
            progress?.Report(name);
            var gt = MotChallengeReader.ReadFile(Path.Combine(dir, "gt", "gt.txt"));
            string resultPath = Path.Combine(resultsFolder, name + ".txt");
            MotFile tracker;
            if (File.Exists(resultPath))
            {
                tracker = MotChallengeReader.ReadFile(resultPath);
            }
            else
            {
                warnings.Add($"{name}: no result file {resultPath}; scored as an empty result.");
                tracker = new MotFile(resultPath, [], 0);
            }

            string seqInfoPath = Path.Combine(dir, "seqinfo.ini");
            int frameCount = File.Exists(seqInfoPath)
                ? SequenceInfo.ReadFile(seqInfoPath).Length
                : Math.Max(gt.MaxFrame, tracker.MaxFrame);
            var kind = benchmark ?? MotEvaluator.DetectBenchmark(gt, name);
            var metrics = MotEvaluator.EvaluateSequence(gt.Rows, tracker.Rows, kind, frameCount, name);
            results.Add(new MotSequenceResult(name, kind, frameCount, metrics));
        }

        var extra = Directory.GetFiles(resultsFolder, "*.txt")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !results.Any(r => r.Name == n))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        if (extra.Count > 0)
        {
            warnings.Add($"Result files without a ground-truth sequence were ignored: {string.Join(", ", extra)}");
        }
        return new MotEvaluationReport(results, MotMetrics.Combine(results.Select(r => r.Metrics)), warnings);
    }
}
