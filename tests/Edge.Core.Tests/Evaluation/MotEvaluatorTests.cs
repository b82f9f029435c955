using Edge.Evaluation;

namespace Edge.Tests.Evaluation;

/// <summary>Small hand-checkable cases, most taken from py-motmetrics' own tests (tests/test_metrics.py), with boxes
/// that either coincide (IoU 1) or do not touch (IoU 0).</summary>
public sealed class MotEvaluatorTests
{
    // Object k sits in its own 10x10 cell, so distinct objects never overlap.
    private static MotRecord Box(int frame, int id, int cell, double confidence = 1) =>
        new(frame, id, cell * 100, 0, 10, 10, confidence);

    private static MotMetrics Evaluate(IEnumerable<MotRecord> gt, IEnumerable<MotRecord> tracker, int frames) =>
        MotEvaluator.EvaluateSequence(gt.ToList(), tracker.ToList(), MotBenchmark.Mot15, frames);

    [Theory]
    // x,y,w,h of the second box against [0,0,1,2]; expected 1 - IoU from py-motmetrics test_distances.py.
    [InlineData(0, 0, 1, 2, 0.0)]
    [InlineData(0, 0, 1, 1, 0.5)]
    [InlineData(1, 1, 1, 1, 1.0)]
    [InlineData(0.5, 0, 1, 1, 0.8)]
    [InlineData(0, 1, 1, 1, 0.5)]
    public void IouDistance_MatchesPyMotMetrics(double x, double y, double w, double h, double expectedDistance)
    {
        Assert.Equal(expectedDistance, 1 - MotBoxIou.Iou(0, 0, 1, 2, x, y, w, h), 1e-12);
    }

    [Fact]
    public void ClearPaperFigure3_MotaIsPointTwo()
    {
        // Bernardin & Stiefelhagen 2008, fig. 3: four objects missed for four frames, then only object 4 present and
        // tracked for four frames. FN 16 of 20 gt boxes: MOTA = 1 - 16/20 = 0.2.
        var gt = new List<MotRecord>();
        var tracker = new List<MotRecord>();
        for (int f = 1; f <= 4; f++)
        {
            gt.AddRange(Enumerable.Range(1, 4).Select(id => Box(f, id, id)));
        }
        for (int f = 5; f <= 8; f++)
        {
            gt.Add(Box(f, 4, 4));
            tracker.Add(Box(f, 4, 4));
        }
        var m = Evaluate(gt, tracker, 8);
        Assert.Equal(0.2, m.Clear.Mota, 1e-12);
        Assert.Equal(16, m.Clear.FalseNegatives);
        Assert.Equal(4, m.Clear.TruePositives);
        Assert.Equal(1.0, m.Clear.Motp, 1e-12);
    }

    [Fact]
    public void OnlyHypotheses_AllFalsePositives()
    {
        // py-motmetrics test_assignment_metrics_with_empty_groundtruth: 4 frames x 4 hypotheses.
        var tracker = Enumerable.Range(1, 4).SelectMany(f => Enumerable.Range(1, 4).Select(id => Box(f, id, id))).ToList();
        var m = Evaluate([], tracker, 4);
        Assert.Equal(16, m.Clear.FalsePositives);
        Assert.Equal(0, m.Clear.FalseNegatives);
        Assert.Equal(0, m.Clear.TruePositives);
        Assert.Equal(16, m.Identity.IdFalsePositives);
        Assert.Equal(0, m.Identity.IdFalseNegatives);
        Assert.Equal(0, m.Identity.IdTruePositives);
        Assert.All(m.Hota.FalsePositives, fp => Assert.Equal(16, fp));
        Assert.Equal(0, m.Hota.Hota);
    }

    [Fact]
    public void OnlyObjects_AllMisses()
    {
        // py-motmetrics test_assignment_metrics_with_empty_predictions: 4 frames x 4 objects.
        var gt = Enumerable.Range(1, 4).SelectMany(f => Enumerable.Range(1, 4).Select(id => Box(f, id, id))).ToList();
        var m = Evaluate(gt, [], 4);
        Assert.Equal(16, m.Clear.FalseNegatives);
        Assert.Equal(0, m.Clear.FalsePositives);
        Assert.Equal(16, m.Identity.IdFalseNegatives);
        Assert.Equal(0, m.Identity.IdFalsePositives);
        Assert.Equal(4, m.Clear.MostlyLost);
        Assert.All(m.Hota.FalseNegatives, fn => Assert.Equal(16, fn));
    }

    [Fact]
    public void TrackedRatioOfExactlyPointEight_IsPartiallyTracked()
    {
        // py-motmetrics test_track_quality_boundary_matches_trackeval: tracked 4 of 5 frames; MT needs > 0.8.
        var gt = Enumerable.Range(1, 5).Select(f => Box(f, 1, 1)).ToList();
        var tracker = Enumerable.Range(1, 4).Select(f => Box(f, 1, 1)).ToList();
        var m = Evaluate(gt, tracker, 5);
        Assert.Equal((0, 1, 0), (m.Clear.MostlyTracked, m.Clear.PartiallyTracked, m.Clear.MostlyLost));
    }

    [Fact]
    public void Fragmentation_IgnoresLeadingAndTrailingMisses()
    {
        // py-motmetrics test_num_fragmentations_ignores_leading_and_trailing_misses: object 1 tracked in frames 2 and
        // 4 only -> one interruption -> Frag 1; object 2 never tracked -> no fragment. A far-away track (id 99) is
        // present in every frame so no frame is tracker-empty (see EmptyTrackerFrame_KeepsContinuity...).
        var gt = Enumerable.Range(1, 5).SelectMany(f => new[] { Box(f, 1, 1), Box(f, 2, 2) }).ToList();
        var tracker = Enumerable.Range(1, 5).Select(f => Box(f, 99, 9)).Concat([Box(2, 1, 1), Box(4, 1, 1)]).ToList();
        var m = Evaluate(gt, tracker, 5);
        Assert.Equal(1, m.Clear.Fragmentations);
        Assert.Equal(0, m.Clear.IdSwitches);
    }

    [Fact]
    public void EmptyTrackerFrame_KeepsContinuity_AsTrackEvalDoes()
    {
        // TrackEval's clear.py skips a frame with no tracker boxes before it resets the previous-frame matches, so a
        // gap made of tracker-empty frames is neither a fragmentation nor a lost continuity bonus.
        var gt = Enumerable.Range(1, 3).Select(f => Box(f, 1, 1)).ToList();
        var withEmptyFrame = Evaluate(gt, [Box(1, 7, 1), Box(3, 7, 1)], 3);
        Assert.Equal(0, withEmptyFrame.Clear.Fragmentations);
        var withOtherBox = Evaluate(gt, [Box(1, 7, 1), Box(2, 99, 9), Box(3, 7, 1)], 3);
        Assert.Equal(1, withOtherBox.Clear.Fragmentations);
    }

    [Fact]
    public void IdSwitch_CountsAgainstLastMatchedIdEvenAfterAGap()
    {
        // Object 1 is tracked as 7, lost for a frame, then picked up as 9: one switch (TrackEval compares with the
        // last id it was matched to, however long ago). A far-away track 99 keeps every frame non-empty (4 FPs).
        // MOTA = 1 - (FN 1 + FP 4 + IDSW 1) / 4. Identity: 7 covers 2 of the 4 gt boxes -> IDTP 2, IDFP 7 - 2.
        var gt = Enumerable.Range(1, 4).Select(f => Box(f, 1, 1)).ToList();
        var tracker = Enumerable.Range(1, 4).Select(f => Box(f, 99, 9)).Concat([Box(1, 7, 1), Box(2, 7, 1), Box(4, 9, 1)]).ToList();
        var m = Evaluate(gt, tracker, 4);
        Assert.Equal(1, m.Clear.IdSwitches);
        Assert.Equal(1, m.Clear.Fragmentations);
        Assert.Equal(1 - (1.0 + 4 + 1) / 4, m.Clear.Mota, 1e-12);
        Assert.Equal(2, m.Identity.IdTruePositives);
        Assert.Equal(2, m.Identity.IdFalseNegatives);
        Assert.Equal(5, m.Identity.IdFalsePositives);
    }

    [Fact]
    public void ContinuityBonus_KeepsTheCurrentTrackOverABetterOverlap()
    {
        // Frame 1: only track 5 overlaps object 1. Frame 2: track 6 overlaps better (IoU 1) than track 5 (IoU 0.6),
        // but the 1000x bonus for continuing the previous-frame id keeps 5, so there is no switch and 6 is an FP.
        var gt = new[] { Box(1, 1, 1), Box(2, 1, 1) };
        var tracker = new[]
        {
            Box(1, 5, 1),
            new MotRecord(2, 5, 100, 0, 10, 6), // IoU 60/100 = 0.6 with the gt box
            Box(2, 6, 1),
        };
        var m = Evaluate(gt, tracker, 2);
        Assert.Equal(0, m.Clear.IdSwitches);
        Assert.Equal(2, m.Clear.TruePositives);
        Assert.Equal(1, m.Clear.FalsePositives);
        Assert.Equal((1 + 0.6) / 2, m.Clear.Motp, 1e-12);
    }

    [Fact]
    public void PerfectTracking_ScoresOneEverywhere()
    {
        var gt = Enumerable.Range(1, 10).SelectMany(f => new[] { Box(f, 1, 1), Box(f, 2, 3) }).ToList();
        var tracker = gt.Select(r => r with { Id = r.Id + 40, Confidence = 0.9 }).ToList();
        var m = Evaluate(gt, tracker, 10);
        Assert.Equal(1.0, m.Clear.Mota, 12);
        Assert.Equal(1.0, m.Identity.Idf1, 12);
        Assert.Equal(1.0, m.Hota.Hota, 12);
        Assert.Equal(1.0, m.Hota.LocA, 12);
        Assert.Equal(2, m.Clear.MostlyTracked);
    }

    [Fact]
    public void Mot17Preprocessing_DropsTrackerBoxesOnDistractorsAndNonPedestrianGt()
    {
        // Frame 1: a pedestrian (class 1), a static person (class 7, distractor), a car (class 3) and a flag-0
        // pedestrian. The tracker covers all four. The box on the static person is removed; the ones on the car and
        // on the flag-0 pedestrian stay as FPs; only the flagged pedestrian is gt.
        MotRecord Gt(int id, int cell, int flag, int cls) => new(1, id, cell * 100, 0, 10, 10, flag, cls, 1);
        var gt = new[] { Gt(1, 1, 1, 1), Gt(2, 2, 1, 7), Gt(3, 3, 0, 3), Gt(4, 4, 0, 1) };
        var tracker = Enumerable.Range(1, 4).Select(c => Box(1, 10 + c, c)).ToList();

        var mot17 = MotEvaluator.EvaluateSequence(gt, tracker, MotBenchmark.Mot17, 1);
        Assert.Equal((1, 0, 2), (mot17.Clear.TruePositives, mot17.Clear.FalseNegatives, mot17.Clear.FalsePositives));

        // 2D MOT 2015 rules ignore classes: gt ids 1 and 2 (flag 1) count, both matched; trackers on 3 and 4 are FPs.
        var mot15 = MotEvaluator.EvaluateSequence(gt, tracker, MotBenchmark.Mot15, 1);
        Assert.Equal((2, 0, 2), (mot15.Clear.TruePositives, mot15.Clear.FalseNegatives, mot15.Clear.FalsePositives));
    }

    [Fact]
    public void Mot20Preprocessing_AlsoTreatsNonMotorizedVehiclesAsDistractors()
    {
        var gt = new[] { new MotRecord(1, 1, 0, 0, 10, 10, 1, 6, 1) };
        var tracker = new[] { Box(1, 1, 0) };
        Assert.Equal(1, MotEvaluator.EvaluateSequence(gt, tracker, MotBenchmark.Mot17, 1).Clear.FalsePositives);
        Assert.Equal(0, MotEvaluator.EvaluateSequence(gt, tracker, MotBenchmark.Mot20, 1).Clear.FalsePositives);
    }

    [Fact]
    public void FrameBeyondSequenceLength_IsAnError()
    {
        var ex = Assert.Throws<EdgeException>(() => MotEvaluator.EvaluateSequence([Box(3, 1, 1)], [], MotBenchmark.Mot15, 2, "SEQ-1"));
        Assert.Contains("SEQ-1", ex.Message);
        Assert.Contains("frame 3", ex.Message);
    }

    [Fact]
    public void DuplicateIdInAFrame_IsAnError()
    {
        var ex = Assert.Throws<EdgeException>(() => MotEvaluator.EvaluateSequence([], [Box(1, 4, 1), Box(1, 4, 2)], MotBenchmark.Mot15, 1));
        Assert.Contains("id 4", ex.Message);
    }

    [Fact]
    public void CombineOfOneSequence_IsThatSequence()
    {
        var m = MotReferenceCases.Evaluate("SORT", "TUD-Campus");
        var c = MotMetrics.Combine([m]);
        Assert.Equal(m.Clear, c.Clear);
        Assert.Equal(m.Identity, c.Identity);
        Assert.Equal(m.Hota.Hota, c.Hota.Hota, 12);
        Assert.Equal(m.Hota.LocA, c.Hota.LocA, 12);
    }
}
