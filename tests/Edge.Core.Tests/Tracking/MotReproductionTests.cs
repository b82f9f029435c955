using Edge.Evaluation;
using Edge.Tracking;

namespace Edge.Tests.Tracking;

/// <summary>Tracker-level checks against the reference runs in /work/shared/data/mot (READMEs there): our trackers
/// run on the same det.txt files and scored with the project's TrackEval-exact metrics.</summary>
public class MotReproductionTests
{
    private static readonly string[] Mot17 = ["MOT17-02-FRCNN", "MOT17-04-FRCNN", "MOT17-05-FRCNN", "MOT17-09-FRCNN"];

    private static MotMetrics Score(string seqDir, IReadOnlyList<MotRecord> rows)
    {
        var gt = MotChallengeReader.ReadFile(Path.Combine(seqDir, "gt", "gt.txt"));
        string name = Path.GetFileName(seqDir);
        string ini = Path.Combine(seqDir, "seqinfo.ini");
        int length = File.Exists(ini) ? SequenceInfo.ReadFile(ini).Length : gt.MaxFrame;
        return MotEvaluator.EvaluateSequence(gt.Rows, rows, MotEvaluator.DetectBenchmark(gt, name), length, name);
    }

    private static List<MotRecord> Track(IMultiObjectTracker tracker, string seqDir, TrackOutputFilter filter, int decimals)
    {
        var det = MotChallengeReader.ReadFile(Path.Combine(seqDir, "det", "det.txt"));
        string ini = Path.Combine(seqDir, "seqinfo.ini");
        int length = File.Exists(ini) ? SequenceInfo.ReadFile(ini).Length : det.MaxFrame;
        return MotSequenceTracking.Run(tracker, det.Rows, length, filter, decimals);
    }

    [Fact]
    public void Sort_OnTudCampus_ReproducesSortsReferenceScores()
    {
        // SORT row of /work/shared/data/mot/README.md (TrackEval; MOTChallenge devkit agrees on MOTA 62.7, FP 15,
        // FN 113, IDs 6): HOTA 45.257, MOTA 62.674, IDF1 60.645.
        string seq = TestData.Shared("data", "mot", "mot15", "train", "TUD-Campus");
        var m = Score(seq, Track(new SortTracker(), seq, TrackOutputFilter.None, 2));
        Assert.InRange(100 * m.Hota.Hota, 45.257 - 0.5, 45.257 + 0.5);
        Assert.InRange(100 * m.Clear.Mota, 62.674 - 0.5, 62.674 + 0.5);
        Assert.InRange(100 * m.Identity.Idf1, 60.645 - 0.5, 60.645 + 0.5);
    }

    [Fact]
    public void ReferenceConfiguration_ReproducesByteTrackOnMot17_AndDefaultBeatsIt()
    {
        var ours = new List<MotMetrics>();
        var theirs = new List<MotMetrics>();
        var tuned = new List<MotMetrics>();
        foreach (string name in Mot17)
        {
            string seq = TestData.Shared("data", "mot", "mot17", "train", name);
            double fps = SequenceInfo.ReadFile(Path.Combine(seq, "seqinfo.ini")).FrameRate;
            ours.Add(Score(seq, Track(new ByteTracker(TrackerOptions.Reference, fps), seq, TrackOutputFilter.ByteTrack, 1)));
            tuned.Add(Score(seq, Track(new ByteTracker(TrackerOptions.Default, fps), seq, TrackOutputFilter.ByteTrack, 1)));
            var reference = MotChallengeReader.ReadFile(TestData.Shared("data", "mot", "reference", "ByteTrack", name + ".txt"));
            theirs.Add(Score(seq, reference.Rows));
        }
        var a = MotMetrics.Combine(ours);
        var b = MotMetrics.Combine(theirs);
        // The reference README's TrackEval COMBINED row for ByteTrack: HOTA 44.741, MOTA 47.585, IDF1 57.932.
        Assert.Equal(44.741, 100 * b.Hota.Hota, 0.01);
        Assert.InRange(100 * (a.Hota.Hota - b.Hota.Hota), -0.5, 0.5);
        Assert.InRange(100 * (a.Clear.Mota - b.Clear.Mota), -0.5, 0.5);
        Assert.InRange(100 * (a.Identity.Idf1 - b.Identity.Idf1), -0.5, 0.5);

        var t = MotMetrics.Combine(tuned);
        Assert.True(t.Hota.Hota > b.Hota.Hota, $"default HOTA {100 * t.Hota.Hota:0.000} <= reference {100 * b.Hota.Hota:0.000}");
        Assert.True(t.Identity.Idf1 > b.Identity.Idf1, $"default IDF1 {100 * t.Identity.Idf1:0.000} <= reference {100 * b.Identity.Idf1:0.000}");
        Assert.True(t.Clear.Mota >= b.Clear.Mota, $"default MOTA {100 * t.Clear.Mota:0.000} < reference {100 * b.Clear.Mota:0.000}");
    }
}
