using Edge.Evaluation;

namespace Edge.Tests.Evaluation;

/// <summary>The folder layout (<c>&lt;gt&gt;/&lt;SEQ&gt;/gt/gt.txt</c> against <c>&lt;results&gt;/&lt;SEQ&gt;.txt</c>),
/// benchmark auto-detection and the missing-result policy.</summary>
public sealed class MotFolderEvaluatorTests
{
    [Fact]
    public void SortOnTud_AutoDetectsMot15_AndMatchesTrackEvalCombined()
    {
        var report = MotFolderEvaluator.Evaluate(
            TestData.Shared("data", "mot", "mot15", "train"),
            TestData.Shared("data", "mot", "reference-results", "MOT15-train", "SORT", "data"));

        Assert.Equal(["TUD-Campus", "TUD-Stadtmitte"], report.Sequences.Select(s => s.Name));
        Assert.All(report.Sequences, s => Assert.Equal(MotBenchmark.Mot15, s.Benchmark));
        Assert.Equal([71, 179], report.Sequences.Select(s => s.FrameCount));
        Assert.Empty(report.Warnings);

        // trackeval-reference/MOT15-train/SORT/pedestrian_detailed.csv, COMBINED row.
        var expected = MotReferenceCases.ReadTrackEvalCsv("MOT15-train", "SORT")["COMBINED"];
        var c = report.Combined;
        Assert.Equal(expected["HOTA___AUC"], c.Hota.Hota, 0.001);
        Assert.Equal(expected["MOTA"], c.Clear.Mota, 0.001);
        Assert.Equal(expected["IDF1"], c.Identity.Idf1, 0.001);
        Assert.Equal((int)expected["IDSW"], c.Clear.IdSwitches);
        Assert.Equal((int)expected["CLR_FP"], c.Clear.FalsePositives);
        Assert.Equal((int)expected["CLR_FN"], c.Clear.FalseNegatives);
    }

    [Fact]
    public void MpnTrackOnMot20_AutoDetectsMot20_FromNameAndClasses()
    {
        var report = MotFolderEvaluator.Evaluate(
            TestData.Shared("data", "mot", "mot20", "train"),
            TestData.Shared("data", "mot", "reference-results", "MOT20-train", "MPNTrack", "data"));

        var seq = Assert.Single(report.Sequences);
        Assert.Equal(MotBenchmark.Mot20, seq.Benchmark);
        Assert.Equal(429, seq.FrameCount); // no seqinfo.ini: last frame of gt/results
        Assert.Equal(0.65868, seq.Metrics.Clear.Mota, 0.001); // README table, MOT20-01 (MPNTrack)
        Assert.Equal(391, seq.Metrics.Clear.FalsePositives);
    }

    [Fact]
    public void MissingResultFile_IsScoredEmpty_WithAWarning()
    {
        string results = TestData.NewTempDir("eval-missing");
        try
        {
            File.Copy(
                TestData.Shared("data", "mot", "reference-results", "MOT15-train", "SORT", "data", "TUD-Campus.txt"),
                Path.Combine(results, "TUD-Campus.txt"));
            var report = MotFolderEvaluator.Evaluate(TestData.Shared("data", "mot", "mot15", "train"), results);

            string warning = Assert.Single(report.Warnings);
            Assert.Contains("TUD-Stadtmitte", warning);
            var missing = report.Sequences.Single(s => s.Name == "TUD-Stadtmitte").Metrics;
            // TUD-Stadtmitte has 1156 gt boxes (trackeval-reference GT_Dets), all missed; 10 gt ids, all mostly lost.
            Assert.Equal(1156, missing.Clear.FalseNegatives);
            Assert.Equal(10, missing.Clear.MostlyLost);
            Assert.Equal(0, missing.Hota.Hota);
            Assert.Equal(113, report.Sequences.Single(s => s.Name == "TUD-Campus").Metrics.Clear.FalseNegatives);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void MissingFolders_AreClearErrors()
    {
        var ex = Assert.Throws<EdgeException>(() => MotFolderEvaluator.Evaluate("/nonexistent/gt", "/nonexistent/res"));
        Assert.Contains("/nonexistent/gt", ex.Message);
    }
}
