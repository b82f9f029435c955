using Edge.Evaluation;

namespace Edge.Tests.Evaluation;

/// <summary><see cref="SimulatedDetector"/> against the detections it imitates: the shared MOT17-04 det.txt (the longest sequence), measured the
/// same way (each frame's detections matched greedily to ground truth at IoU ≥ 0.4).</summary>
public class SimulatedDetectorTests
{
    private static readonly string Sequence = TestData.Shared("data", "mot", "mot17", "train", "MOT17-04-FRCNN");

    [Fact]
    public void ItsDetectionsHaveTheStatisticsOfTheSharedMot17Detections()
    {
        var truth = MotChallengeReader.ReadFile(Path.Combine(Sequence, "gt", "gt.txt")).Rows;
        var info = SequenceInfo.ReadFile(Path.Combine(Sequence, "seqinfo.ini"));
        var shared = DetectionStatistics.Of(truth, MotChallengeReader.ReadFile(Path.Combine(Sequence, "det", "det.txt")).Rows, info.Length);
        var simulated = DetectionStatistics.Of(truth, SimulatedDetector.Default.Detect(truth, info.Length, info.ImageWidth, info.ImageHeight, seed: 7), info.Length);

        // Measured on the shared file: recall 0.89 (visible) / 0.28 (hidden), score residual σ 0.097, centre σ 0.041,
        // 2.1 detections a frame matching no pedestrian (false positives and detected distractors), median score 0.54. The tolerances hold one seed's sampling noise, not a different model.
        Assert.InRange(shared.VisibleRecall, 0.87, 0.91);
        Assert.InRange(simulated.VisibleRecall, shared.VisibleRecall - 0.03, shared.VisibleRecall + 0.03);
        Assert.InRange(simulated.HiddenRecall, shared.HiddenRecall - 0.03, shared.HiddenRecall + 0.03);
        Assert.InRange(simulated.ScoreResidualSigma, shared.ScoreResidualSigma - 0.01, shared.ScoreResidualSigma + 0.01);
        Assert.InRange(simulated.CentreSigma, shared.CentreSigma - 0.003, shared.CentreSigma + 0.003);
        Assert.InRange(simulated.UnmatchedPerFrame, shared.UnmatchedPerFrame - 0.2, shared.UnmatchedPerFrame + 0.2);
        Assert.InRange(simulated.UnmatchedMedianScore, shared.UnmatchedMedianScore - 0.05, shared.UnmatchedMedianScore + 0.05);
    }

    [Fact]
    public void TheSameSeedGivesTheSameDetections_AnotherSeedOthers()
    {
        var truth = MotChallengeReader.ReadFile(Path.Combine(Sequence, "gt", "gt.txt")).Rows;
        var first = SimulatedDetector.Default.Detect(truth, 100, 1920, 1080, seed: 3);
        var again = SimulatedDetector.Default.Detect(truth, 100, 1920, 1080, seed: 3);
        var other = SimulatedDetector.Default.Detect(truth, 100, 1920, 1080, seed: 4);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.All(first, d => Assert.True(d.Frame is >= 1 and <= 100 && d.Id == -1 && d.Confidence is >= 0.01 and <= 0.99));
    }

    [Fact]
    public void NobodyVisibleMeansOnlyFalsePositives_AndAHiddenPersonScoresLowerThanAVisibleOne()
    {
        // One frame, a visible pedestrian, a hidden pedestrian and a car (class 3, never detected), simulated
        // 2000 times: recall and mean score follow the model (0.25 + 0.75 v scaled by the person factor, 0.30 + 0.65 v).
        MotRecord visible = new(1, 1, 100, 100, 80, 200, 1, 1, 1.0);
        MotRecord hidden = new(1, 2, 600, 100, 80, 200, 1, 1, 0.0);
        MotRecord car = new(1, 3, 1200, 100, 300, 150, 1, 3, 1.0);
        var detector = SimulatedDetector.Default with { FalsePositivesPerFrame = 0, Ghosts = 0 };
        int visibleFound = 0, hiddenFound = 0;
        double visibleScore = 0, hiddenScore = 0;
        for (int seed = 0; seed < 2000; seed++)
        {
            foreach (MotRecord d in detector.Detect([visible, hidden, car], 1, 1920, 1080, seed))
            {
                Assert.True(d.X < 1000, "the car was detected");
                if (d.X < 400)
                {
                    visibleFound++;
                    visibleScore += d.Confidence;
                }
                else
                {
                    hiddenFound++;
                    hiddenScore += d.Confidence;
                }
            }
        }
        Assert.InRange(visibleFound / 2000.0, 0.90, 0.95); // mean person factor 0.925
        Assert.InRange(hiddenFound / 2000.0, 0.20, 0.26); // 0.25 × 0.925
        Assert.InRange(visibleScore / visibleFound, 0.91, 0.95); // 0.95, the upper clamp at 0.99 takes a little
        Assert.InRange(hiddenScore / hiddenFound, 0.28, 0.32);
    }

    private sealed record DetectionStatistics(double VisibleRecall, double HiddenRecall, double ScoreResidualSigma,
        double CentreSigma, double UnmatchedPerFrame, double UnmatchedMedianScore)
    {
        public static DetectionStatistics Of(IReadOnlyList<MotRecord> truth, IReadOnlyList<MotRecord> detections, int length)
        {
            var truthByFrame = truth.Where(r => r.ClassId == 1 && r.Frame <= length).ToLookup(r => r.Frame);
            var detsByFrame = detections.ToLookup(r => r.Frame);
            int visible = 0, visibleFound = 0, hidden = 0, hiddenFound = 0;
            var residuals = new List<double>();
            var offsets = new List<double>();
            var unmatched = new List<double>();
            for (int f = 1; f <= length; f++)
            {
                MotRecord[] people = [.. truthByFrame[f]];
                MotRecord[] dets = [.. detsByFrame[f]];
                var pairs = (from p in Enumerable.Range(0, people.Length)
                             from d in Enumerable.Range(0, dets.Length)
                             let iou = MotBoxIou.Iou(people[p], dets[d])
                             where iou >= 0.4
                             orderby iou descending
                             select (p, d)).ToList();
                var personOf = new int?[people.Length];
                var taken = new bool[dets.Length];
                foreach (var (p, d) in pairs)
                {
                    if (personOf[p] is null && !taken[d])
                    {
                        personOf[p] = d;
                        taken[d] = true;
                    }
                }
                for (int p = 0; p < people.Length; p++)
                {
                    MotRecord person = people[p];
                    bool found = personOf[p] is not null;
                    if (person.Visibility >= 0.9)
                    {
                        visible++;
                        visibleFound += found ? 1 : 0;
                    }
                    else if (person.Visibility < 0.1)
                    {
                        hidden++;
                        hiddenFound += found ? 1 : 0;
                    }
                    if (personOf[p] is int d)
                    {
                        residuals.Add(dets[d].Confidence - (0.30 + (0.65 * person.Visibility)));
                        offsets.Add((dets[d].X + (dets[d].Width / 2) - person.X - (person.Width / 2)) / person.Width);
                    }
                }
                unmatched.AddRange(dets.Where((_, d) => !taken[d]).Select(d => d.Confidence));
            }
            unmatched.Sort();
            return new((double)visibleFound / visible, (double)hiddenFound / hidden, Sigma(residuals), Sigma(offsets),
                (double)unmatched.Count / length, unmatched[unmatched.Count / 2]);
        }

        private static double Sigma(List<double> values)
        {
            double mean = values.Average();
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        }
    }
}
