using Edge.Detection;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.Tracking;

public class ByteTrackerTests
{
    private static Detection.Detection Det(float x, float y, float w, float h, float score) =>
        new(BoxF.FromXywh(x, y, w, h), score, 0);

    private static List<TrackView> Reported(ReadOnlySpan<TrackView> views)
    {
        var list = new List<TrackView>();
        foreach (var v in views)
        {
            if (v.State == TrackState.Confirmed && v.FramesSinceUpdate == 0)
            {
                list.Add(v);
            }
        }
        return list;
    }

    private static int IdAt(ReadOnlySpan<TrackView> views, int detectionIndex)
    {
        foreach (var v in views)
        {
            if (v.DetectionIndex == detectionIndex && v.FramesSinceUpdate == 0)
            {
                return v.Id;
            }
        }
        return 0;
    }

    [Theory]
    [InlineData("default")]
    [InlineData("sort")]
    public void DroppedFramesArePredictedOverAndAgeLostTracksInSourceFrames(string config)
    {
        // A live pipeline skips the frames it has no time for, irregularly: updates 1 or 5 source frames apart. A
        // person walking 8 px a source frame (a box 30 px wide) moves 40 px between two updates 5 frames apart:
        // predicted over the skipped frames, the track keeps its id; predicted one frame per update, it would miss.
        IMultiObjectTracker tracker = config == "sort" ? new SortTracker(maxAge: 30, minHits: 1) : new ByteTracker(TrackerOptions.Default, 30);
        int[] steps = [1, 1, 1, 1, 5, 1, 5, 1, 1, 5, 5, 1, 5];
        int frame = 0;
        var ids = new HashSet<int>();
        foreach (int step in steps)
        {
            frame += step;
            var views = tracker.Update([Det(100f + 8f * frame, 200f, 30f, 80f, 0.9f)], TrackerFrameContext.None with { FrameStep = step });
            if (frame > 3)
            {
                ids.Add(IdAt(views, 0));
            }
        }
        Assert.Equal([1], ids);

        // The track buffer counts source frames: a track lost for more than its buffer is removed, so with updates 10
        // frames apart after buffer / 10 + 1 of them (ByteTrack's reference keeps an expired track one update longer).
        int buffer = tracker is ByteTracker byteTracker ? byteTracker.MaxTimeLost : 30;
        int updates = 0;
        bool alive = true;
        while (alive)
        {
            updates++;
            alive = tracker.Update([], TrackerFrameContext.None with { FrameStep = 10 }).Length > 0;
        }
        Assert.Equal((buffer / 10) + (tracker is ByteTracker ? 2 : 1), updates);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("default")]
    public void TwoPeopleCrossing_KeepTheirIds(string config)
    {
        var tracker = new ByteTracker(config == "reference" ? TrackerOptions.Reference : TrackerOptions.Default, 30);
        // A walks right, B walks left at 6 px/frame on the same line; A is in front, so while they overlap B is
        // occluded: its detection drops to a low score (0.3), then vanishes while fully hidden.
        int idA = 0, idB = 0;
        for (int f = 0; f < 80; f++)
        {
            float xa = 100 + (6 * f), xb = 580 - (6 * f);
            float overlap = Math.Abs(xa - xb);
            var dets = new List<Detection.Detection> { Det(xa, 200, 50, 120, 0.9f) };
            if (overlap > 40)
            {
                dets.Add(Det(xb, 205, 45, 110, 0.85f));
            }
            else if (overlap > 20)
            {
                dets.Add(Det(xb, 205, 45, 110, 0.3f));
            }
            var views = tracker.Update(dets.ToArray(), TrackerFrameContext.None);
            int a = IdAt(views, 0);
            int b = dets.Count > 1 ? IdAt(views, 1) : 0;
            if (f == 5)
            {
                (idA, idB) = (a, b);
                Assert.NotEqual(0, idA);
                Assert.NotEqual(0, idB);
                Assert.NotEqual(idA, idB);
            }
            else if (f > 5)
            {
                Assert.Equal(idA, a);
                if (b != 0)
                {
                    Assert.Equal(idB, b);
                }
            }
        }
        // B was re-found after the crossing (its last frames are far apart from A).
        Assert.Equal(idB, IdAt(tracker.Update([Det(100 + 480, 200, 50, 120, 0.9f), Det(580 - 480, 205, 45, 110, 0.9f)], TrackerFrameContext.None), 1));
    }

    [Fact]
    public void PersonHiddenShorterThanBuffer_ReturnsWithSameId_LongerGetsNewId()
    {
        // Reference: buffer 30 frames at 30 fps. Hidden 20 frames: same id. Hidden 40 frames: new id.
        foreach (var (hidden, sameId) in new[] { (20, true), (40, false) })
        {
            var tracker = new ByteTracker(TrackerOptions.Reference, 30);
            int id = 0;
            for (int f = 0; f < 10; f++)
            {
                id = IdAt(tracker.Update([Det(300 + f, 100, 60, 150, 0.9f)], TrackerFrameContext.None), 0);
            }
            Assert.Equal(1, id);
            for (int f = 0; f < hidden; f++)
            {
                var views = tracker.Update([], TrackerFrameContext.None);
                Assert.Empty(Reported(views));
            }
            int back = 0;
            for (int f = 0; f < 3; f++)
            {
                back = IdAt(tracker.Update([Det(310, 100, 60, 150, 0.9f)], TrackerFrameContext.None), 0);
            }
            Assert.Equal(sameId, back == id);
        }
    }

    [Fact]
    public void LowScoreDetections_ExtendTracks_ButNeverStartThem()
    {
        var tracker = new ByteTracker(TrackerOptions.Reference, 30);
        for (int f = 0; f < 5; f++)
        {
            tracker.Update([Det(100 + (2 * f), 100, 50, 120, 0.9f)], TrackerFrameContext.None);
        }
        for (int f = 5; f < 30; f++)
        {
            // The tracked person now scores 0.3; a second low-score object appears elsewhere.
            var views = tracker.Update([Det(100 + (2 * f), 100, 50, 120, 0.3f), Det(400, 300, 50, 120, 0.3f)], TrackerFrameContext.None);
            var reported = Reported(views);
            Assert.Single(reported);
            Assert.Equal(1, reported[0].Id);
            Assert.Equal(0, reported[0].DetectionIndex);
            Assert.Equal(0.3f, reported[0].Score);
            Assert.Equal(1, views.Length); // no tentative track for the low-score object either
        }
    }

    [Fact]
    public void NewTracks_NeedTwoMatchesAfterTheFirstFrame()
    {
        var tracker = new ByteTracker(TrackerOptions.Reference, 30);
        tracker.Update([], TrackerFrameContext.None);
        var first = tracker.Update([Det(10, 10, 40, 100, 0.9f)], TrackerFrameContext.None);
        Assert.Equal(TrackState.Tentative, first[0].State);
        var second = tracker.Update([Det(11, 10, 40, 100, 0.9f)], TrackerFrameContext.None);
        Assert.Equal(TrackState.Confirmed, second[0].State);
    }

    [Fact]
    public void IdsStartAtOnePerInstance_AndAfterReset()
    {
        var a = new ByteTracker(TrackerOptions.Reference, 30);
        var b = new ByteTracker(TrackerOptions.Reference, 30);
        var dets = new[] { Det(10, 10, 40, 100, 0.9f), Det(200, 10, 40, 100, 0.9f) };
        var va = a.Update(dets, TrackerFrameContext.None);
        Assert.Equal([1, 2], va.ToArray().Select(v => v.Id).Order());
        var vb = b.Update(dets, TrackerFrameContext.None);
        Assert.Equal([1, 2], vb.ToArray().Select(v => v.Id).Order());
        a.Update([Det(400, 10, 40, 100, 0.9f)], TrackerFrameContext.None);
        a.Reset();
        Assert.Equal(1, a.Update(dets, TrackerFrameContext.None)[0].Id);
    }

    [Fact]
    public void TrackBuffer_IsConvertedFromSecondsWithTheFrameRate()
    {
        Assert.Equal(28, new ByteTracker(TrackerOptions.Default with { TrackBufferSeconds = 2 }, 14).MaxTimeLost);
        Assert.Equal(60, new ByteTracker(TrackerOptions.Default with { TrackBufferSeconds = 2 }, 30).MaxTimeLost);
        // ByteTrack's int(frame_rate / 30 * track_buffer): 14 frames for 30 at 14 fps.
        Assert.Equal(14, new ByteTracker(TrackerOptions.Reference, 14).MaxTimeLost);
        Assert.Throws<EdgeException>(() => new ByteTracker(TrackerOptions.Default with { MatchThresh = 0 }, 30));
    }

    [Fact]
    public void Appearance_ResolvesAmbiguousOverlap()
    {
        // Two people side by side that swap nothing: with embeddings the matching follows appearance when the IoU
        // cost is ambiguous. Embeddings: person A = (1, 0), person B = (0, 1).
        var tracker = new ByteTracker(TrackerOptions.Default, 30);
        float[] emb = [1, 0, 0, 1];
        var ctx = new TrackerFrameContext(Affine2D.Identity, emb, 2);
        tracker.Update([Det(100, 100, 50, 120, 0.9f), Det(130, 100, 50, 120, 0.9f)], ctx);
        var v = tracker.Update([Det(100, 100, 50, 120, 0.9f), Det(130, 100, 50, 120, 0.9f)], ctx);
        int idA = IdAt(v, 0), idB = IdAt(v, 1);
        // Next frame the detections come in swapped positions slightly shifted towards each other's box:
        // A's detection sits 15 px right, B's 15 px left, so IoU alone prefers the swap; appearance does not.
        float[] swapped = [1, 0, 0, 1];
        v = tracker.Update([Det(116, 100, 50, 120, 0.9f), Det(114, 100, 50, 120, 0.9f)], new TrackerFrameContext(Affine2D.Identity, swapped, 2));
        Assert.Equal(idA, IdAt(v, 0));
        Assert.Equal(idB, IdAt(v, 1));
    }

    [Fact]
    public void CameraMotion_KeepsTrackWhenTheWholeSceneShifts()
    {
        // The camera pans so the person jumps 60 px left between frames; without compensation the IoU is 0.
        foreach (bool cmc in new[] { true, false })
        {
            var tracker = new ByteTracker(TrackerOptions.Default with { CameraMotionCompensation = cmc }, 30);
            for (int f = 0; f < 3; f++)
            {
                tracker.Update([Det(300, 100, 50, 120, 0.9f)], TrackerFrameContext.None);
            }
            var v = tracker.Update([Det(240, 100, 50, 120, 0.9f)], new TrackerFrameContext(new Affine2D(1, 0, -60, 0, 1, 0), ReadOnlyMemory<float>.Empty, 0));
            Assert.Equal(cmc, IdAt(v, 0) == 1);
        }
    }

    [Fact]
    public void Update_AllocatesNothingAfterWarmUp()
    {
        var rng = new Random(5);
        var tracker = new ByteTracker(TrackerOptions.Default with { ObservationCentricReUpdate = true }, 30);
        var frames = new Detection.Detection[120][];
        for (int f = 0; f < frames.Length; f++)
        {
            frames[f] = new Detection.Detection[50];
            for (int i = 0; i < 50; i++)
            {
                // 50 people on a grid walking right, with jitter and varying scores (some missing: score 0.05).
                float score = rng.NextDouble() < 0.1 ? 0.05f : (float)(0.3 + (0.65 * rng.NextDouble()));
                frames[f][i] = Det((i % 10 * 120) + (2 * f) + (float)rng.NextDouble(), (i / 10 * 200) + (float)rng.NextDouble(), 50, 120, score);
            }
        }
        for (int f = 0; f < 60; f++)
        {
            tracker.Update(frames[f], TrackerFrameContext.None);
        }
        // Three rounds of 20 frames: the grid walks on uniformly, so every round takes the same paths.
        int reported = 0, next = 60;
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            for (int end = next + 20; next < end; next++)
            {
                foreach (var v in tracker.Update(frames[next], TrackerFrameContext.None))
                {
                    reported += v.State == TrackState.Confirmed && v.FramesSinceUpdate == 0 ? 1 : 0;
                }
            }
        });
        Assert.True(reported > 60 * 30, $"only {reported} reported tracks in 60 frames of 50 people");
        Assert.Equal(0, allocated);
    }
}
