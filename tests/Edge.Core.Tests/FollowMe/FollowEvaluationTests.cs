using Edge.FollowMe;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.FollowMe;

public class FollowEvaluationTests
{
    private static readonly BoxF TargetBox = new(0, 0, 10, 20);
    private static readonly BoxF OtherBox = new(20, 0, 30, 20);

    [Fact]
    public void ClassifyFollowsTheScoringRules()
    {
        FollowTruthBox[] frame = [new(1, TargetBox, 1f, true), new(2, OtherBox, 1f, true)];
        Assert.Equal(FollowOutcome.Correct, FollowEvaluation.Classify(frame, 1, new BoxF(0, 0, 10, 20), true));
        // IoU with the target 0.5 exactly (box 0..10 x 0..10 inside 0..10 x 0..20: 100 / 200) -> correct.
        Assert.Equal(FollowOutcome.Correct, FollowEvaluation.Classify(frame, 1, new BoxF(0, 0, 10, 10), true));
        Assert.Equal(FollowOutcome.WrongPerson, FollowEvaluation.Classify(frame, 1, OtherBox, true));
        // Between the two: IoU 1/3 with each -> none.
        Assert.Equal(FollowOutcome.None, FollowEvaluation.Classify(frame, 1, new BoxF(5, 0, 25, 20), true));
        Assert.Equal(FollowOutcome.None, FollowEvaluation.Classify(frame, 1, TargetBox, false));
    }

    [Fact]
    public void ReadTruthTakesEveryBoxOf2dMot2015GroundTruthAsAVisiblePedestrian()
    {
        string path = Path.Combine(TestData.NewTempDir("follow-truth"), "gt.txt");
        File.WriteAllLines(path,
        [
            "1,1,10,20,30,60,1,-1,-1,-1", // 2D MOT 2015: no class, no visibility
            "1,2,50,20,30,60,0,-1,-1,-1", // 2D MOT 2015, flagged 0: a person, never a target
            "2,1,12,20,30,60,1,1,0.25", // MOT17: a pedestrian a quarter visible
            "2,3,90,20,30,60,1,3,1", // MOT17: a car
            "2,4,90,20,30,60,1,7,1", // MOT17: a static person
        ]);

        FollowTruthBox[][] truth = FollowEvaluation.ReadTruth(path, 2);

        Assert.Equal([(1, 1f, true), (2, 1f, false)], truth[0].Select(t => (t.Id, t.Visibility, t.IsTargetCandidate)));
        Assert.Equal([(1, 0.25f, true)], truth[1].Select(t => (t.Id, t.Visibility, t.IsTargetCandidate)));
    }

    [Fact]
    public void TinySequenceIsScoredByHand()
    {
        // 130 frames, 1 fps-free: target 1 present in all of them (>= 100), person 2 in 50 (not a target).
        // Tracker: frame 0 nothing, frames 1..129 track 5 on the target, except frames 100..109 where track 5 sits
        // on person 2 (an id switch) and frames 120..124 with no track. Visibility 0.3 on frames 110..114.
        // Lock frame 1 (first with a confirmed track at IoU >= 0.5); scored: frames 2..129 minus 110..114 = 123.
        // Fixed-id baseline: wrong 10 (100..109), none 5 (120..124), correct 123 - 15 = 108.
        const int n = 130;
        var truth = new FollowTruthBox[n][];
        var tracks = new TrackView[n][];
        for (int f = 0; f < n; f++)
        {
            float vis = f is >= 110 and < 115 ? 0.3f : 1f;
            truth[f] = f < 50 ? [new(1, TargetBox, vis, true), new(2, OtherBox, 1f, true)] : [new(1, TargetBox, vis, true)];
            if (f is >= 100 and < 110)
            {
                truth[f] = [.. truth[f], new(2, OtherBox, 1f, false)];
            }
            BoxF? box = f == 0 || f is >= 120 and < 125 ? null : f is >= 100 and < 110 ? OtherBox : TargetBox;
            tracks[f] = box is { } b ? [new TrackView(5, b, 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0)] : [];
        }
        var sequence = new FollowSequence("tiny", 30f, 100, 100, truth, tracks);
        FollowEvalCounts counts = FollowEvaluation.Evaluate(sequence, FollowPolicy.FixedTrackId, new FollowOptions());
        Assert.Equal(1, counts.Targets);
        Assert.Equal(1, counts.LockedTargets);
        Assert.Equal(123, counts.ScoredFrames);
        Assert.Equal(108, counts.Correct);
        Assert.Equal(10, counts.Wrong);
        Assert.Equal(5, counts.None);
        Assert.Equal(108d / 123d, counts.CorrectRate, 9);
    }

    [Fact]
    public void IdentityOracleTakesWhicheverTrackHoldsTheTarget()
    {
        // Target 1 and a bystander (not a target) for 100 frames. Track 5 holds the target for frames 0..59, is lost
        // (predicted on the target) for 60..64, then the tracker puts id 5 on the bystander and gives the target
        // id 9 from frame 65. Lock frame 0; scored 1..99 = 99.
        // Oracle: 5 while it covers the target, its prediction while lost, then 9: 99 correct; without coasting the
        // five lost frames are none. The fixed id follows 5: 59 correct, 5 none, 35 wrong (the bystander).
        const int n = 100;
        var truth = new FollowTruthBox[n][];
        var tracks = new TrackView[n][];
        for (int f = 0; f < n; f++)
        {
            truth[f] = [new(1, TargetBox, 1f, true), new(2, OtherBox, 1f, false)];
            tracks[f] = f switch
            {
                < 60 => [new TrackView(5, TargetBox, 0.9f, 0, TrackState.Confirmed, 0, 0, 0f, 0f)],
                < 65 => [new TrackView(5, TargetBox, 0.9f, 0, TrackState.Lost, f - 59, -1, 0f, 0f)],
                _ => [new TrackView(5, OtherBox, 0.9f, 0, TrackState.Confirmed, 0, 0, 0f, 0f), new TrackView(9, TargetBox, 0.9f, 0, TrackState.Confirmed, 0, 1, 0f, 0f)],
            };
        }
        var sequence = new FollowSequence("switch", 30f, 100, 100, truth, tracks);
        (int, int, int) Run(FollowPolicy policy, bool coasting = true)
        {
            FollowEvalCounts c = FollowEvaluation.Evaluate(sequence, policy, new FollowOptions { Coasting = coasting });
            Assert.Equal(99, c.ScoredFrames);
            return (c.Correct, c.Wrong, c.None);
        }

        Assert.Equal((99, 0, 0), Run(FollowPolicy.IdentityOracle));
        Assert.Equal((94, 0, 5), Run(FollowPolicy.IdentityOracle, coasting: false));
        Assert.Equal((59, 35, 5), Run(FollowPolicy.FixedTrackId));
    }

    [Theory]
    [InlineData(0f, 2f, 0f, 2, 98)]
    [InlineData(0.06f, 2f, 0f, 100, 0)]
    [InlineData(0.06f, 0f, 0f, 100, 0)]
    [InlineData(0.06f, 0.5f, 0f, 0, 0)]
    [InlineData(0.06f, 0.5f, 1f, 99, 0)]
    public void PointOffCentreOnSomeoneInFrontIsNotFollowed(float tolerance, float waitSeconds, float hiddenSeconds, int correct, int wrong)
    {
        // Target 1 (box 0..10 x 0..20) stands hidden (visibility 0.2) behind person 2 for frames 0..29; person 2's
        // box (0..10 x 3..23, IoU 0.74 with the target, centre 3 px = 0.15 heights off the target's) is the only
        // track (7), so the rules lock at frame 0 with a point at the target's centre (5, 10). From frame 30 person 2
        // walks right 1 px per frame and the target, now visible, gets its own track 8. Scored: frames 30..129.
        // Any box under the point (tolerance 0): the lock follows track 7, person 2: wrong from frame 32 on (98); in
        // frames 30 and 31 person 2's box still overlaps the target at IoU 153/247 = 0.62 and 136/264 = 0.52, which
        // the rules count correct (2). The default tolerance 0.06: the selection waits (none) until track 8 appears
        // centred on the point 1 s later (100 correct), also without a time limit (0); a 0.5 s wait has given up by
        // then (all none), unless it goes on waiting for the hidden person to step out (HiddenPointSeconds 1): track 8
        // is born on the point at frame 30 and taken from the next frame (99 correct).
        const int n = 130;
        var truth = new FollowTruthBox[n][];
        var tracks = new TrackView[n][];
        for (int f = 0; f < n; f++)
        {
            float shift = Math.Max(0, f - 29);
            var inFront = new BoxF(shift, 3, 10 + shift, 23);
            truth[f] = [new(1, TargetBox, f < 30 ? 0.2f : 1f, true), new(2, inFront, 1f, false)];
            var frontTrack = new TrackView(7, inFront, 0.9f, 0, TrackState.Confirmed, 0, 0, f < 30 ? 0f : 1f, 0f);
            tracks[f] = f < 30 ? [frontTrack] : [frontTrack, new TrackView(8, TargetBox, 0.6f, 0, TrackState.Confirmed, 0, 1, 0f, 0f)];
        }
        var sequence = new FollowSequence("hidden-behind", 30f, 100, 100, truth, tracks);
        FollowTargetResult target = Assert.Single(FollowEvaluation.EvaluateTargets(sequence, FollowPolicy.Lock, new FollowOptions { PointTolerance = tolerance, PointWaitSeconds = waitSeconds, HiddenPointSeconds = hiddenSeconds }));
        Assert.Equal((1, 0, 0.2f), (target.TargetId, target.LockFrame, target.LockVisibility));
        FollowEvalCounts counts = target.Counts;
        Assert.Equal((1, 100), (counts.LockedTargets, counts.ScoredFrames));
        Assert.Equal((correct, wrong), (counts.Correct, counts.Wrong));
    }

    [Fact]
    public void RecordedCameraMotionReachesTheLock()
    {
        // A static person (20 x 40 px) filmed by a still camera for 100 frames, then the camera pans: the person moves
        // 4 px left per frame in the image for 10 frames, with no track (the tracker missed them), and their track is
        // back from frame 110. With the frames' camera motion the coasted prediction moves with the image and every
        // scored frame is correct; without it the prediction stays where the person was and falls below IoU 0.5
        // after one frame.
        const int n = 130;
        var truth = new FollowTruthBox[n][];
        var tracks = new TrackView[n][];
        var motion = new Affine2D[n];
        for (int f = 0; f < n; f++)
        {
            bool panning = f is >= 100 and < 110;
            motion[f] = panning ? new Affine2D(1f, 0f, -4f, 0f, 1f, 0f) : Affine2D.Identity;
            float x = 300f - (4f * Math.Clamp(f - 99, 0, 10));
            var box = new BoxF(x, 200f, x + 20f, 240f);
            truth[f] = [new(1, box, 1f, true)];
            tracks[f] = panning ? [] : [new TrackView(5, box, 0.9f, 0, TrackState.Confirmed, 0, 0, 0f, 0f)];
        }
        FollowEvalCounts Run(Affine2D[]? cameraMotion) => FollowEvaluation.Evaluate(
            new FollowSequence("pan", 30f, 640, 480, truth, tracks, CameraMotion: cameraMotion), FollowPolicy.Lock, new FollowOptions());

        FollowEvalCounts withMotion = Run(motion), without = Run(null);
        Assert.Equal((129, 129), (withMotion.ScoredFrames, withMotion.Correct));
        Assert.Equal(129, without.ScoredFrames);
        Assert.InRange(without.Correct, 0, 129 - 8);
        Assert.Throws<EdgeException>(() => Run(motion[..50]));
        var shortFreshness = new FollowSequence("pan", 30f, 640, 480, truth, tracks, FreshAppearance: new bool[50][]);
        Assert.Throws<EdgeException>(() => FollowEvaluation.Evaluate(shortFreshness, FollowPolicy.Lock, new FollowOptions()));
    }
}
