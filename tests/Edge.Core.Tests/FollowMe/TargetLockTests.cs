using Edge.FollowMe;
using Edge.Geometry;
using Edge.Tracking;
using static Edge.Tests.FollowMe.SyntheticScene;

namespace Edge.Tests.FollowMe;

public class TargetLockTests
{
    private static TargetLock NewLock(FollowOptions? options = null) => new(options ?? new FollowOptions { FrameRate = Fps }, Width, Height);

    [Fact]
    public void SelectionByPointPicksTheBoxUnderThePoint()
    {
        // A near person (big box) overlaps a far one (small box) standing in front of it in the image; the point
        // lands inside both, on the small box's centre: that one wins. Points off every box's centre wait by default
        // (the point names a person's centre); with the tolerance off, a point on the big box's edge takes the big
        // box and a point outside every box the nearest centre.
        var tracks = new[]
        {
            new TrackView(1, new BoxF(400, 100, 700, 700), 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0),
            new TrackView(2, new BoxF(500, 300, 560, 500), 0.9f, 0, TrackState.Confirmed, 0, 1, 0, 0),
            new TrackView(3, new BoxF(1000, 300, 1060, 500), 0.9f, 0, TrackState.Confirmed, 0, 2, 0, 0),
        };
        var lockA = NewLock();
        lockA.Select(TargetSelection.AtPoint(530, 400));
        Assert.Equal(2, lockA.Update(tracks).TrackId);

        var anyBox = new FollowOptions { FrameRate = Fps, PointTolerance = 0f };
        var lockB = NewLock(anyBox);
        lockB.Select(TargetSelection.AtPoint(450, 150));
        Assert.Equal(1, lockB.Update(tracks).TrackId);
        var waitingB = NewLock();
        waitingB.Select(TargetSelection.AtPoint(450, 150));
        Assert.Equal(FollowState.Idle, waitingB.Update(tracks).State);
        Assert.True(waitingB.IsSelecting);

        var lockC = NewLock(anyBox);
        lockC.Select(TargetSelection.AtPoint(900, 400));
        Assert.Equal(3, lockC.Update(tracks).TrackId);
    }

    [Fact]
    public void SelectionByPointPrefersTheBoxCentredOnThePoint()
    {
        // A partly hidden person (id 5, box 60x200 centred at (640, 400)) stands behind someone whose box is smaller
        // (id 4, 60x180 centred at (620, 420)): the click at the hidden person's centre lies in both boxes. The
        // smallest box (the old rule) is id 4, but id 5's centre is on the click (offset 0 against
        // sqrt(20^2 + 20^2) / 180 = 0.16 heights).
        var tracks = new[]
        {
            new TrackView(4, BoxF.FromCenter(620f, 420f, 60f, 180f), 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0),
            new TrackView(5, BoxF.FromCenter(640f, 400f, 60f, 200f), 0.5f, 0, TrackState.Confirmed, 0, 1, 0, 0),
        };
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.AtPoint(640f, 400f));
        FollowCommand command = targetLock.Update(tracks);
        Assert.Equal((FollowState.Locked, 5), (command.State, command.TrackId));
    }

    [Fact]
    public void SelectionByPointWaitsWhileOnlyAnOffCentreBoxLiesUnderThePoint()
    {
        // The person named by the point (640, 400) is hidden; the only box under the point is someone in front whose
        // centre is 0.1 box heights away (outside the default 0.06 tolerance): the lock waits (Idle, nothing
        // reported) instead of following the person in front. When the named person's own track appears centred on
        // the point, it locks.
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.AtPoint(640f, 400f));
        TrackView inFront = Person(4, 640f + 20f, index: 0);
        for (int f = 0; f < 5; f++)
        {
            FollowCommand waiting = targetLock.Update([inFront]);
            Assert.Equal(FollowState.Idle, waiting.State);
            Assert.False(waiting.HasBox);
        }
        FollowCommand command = targetLock.Update([inFront, Person(5, 642f, index: 1)]);
        Assert.Equal((FollowState.Locked, 5), (command.State, command.TrackId));
        Assert.False(targetLock.IsSelecting);

        // With the tolerance off (any box under the point) the same point takes the box in front.
        var anyBox = NewLock(new FollowOptions { FrameRate = Fps, PointTolerance = 0f });
        anyBox.Select(TargetSelection.AtPoint(640f, 400f));
        Assert.Equal(4, anyBox.Update([inFront]).TrackId);
    }

    [Fact]
    public void APointNobodyIsCentredOnIsDroppedAfterPointWaitSeconds()
    {
        // The point names whoever is centred there when it is given: after PointWaitSeconds (2 s = 60 frames at
        // 30 fps here) someone arriving on it is someone else, and the selection is dropped. With 0 it waits for good.
        // (The wait for a hidden person stepping out is off here; see the next test.)
        TrackView inFront = Person(4, 660f, index: 0);
        TrackView arriving = Person(6, 641f, index: 1);
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, PointWaitSeconds = 2f, HiddenPointSeconds = 0f });
        targetLock.Select(TargetSelection.AtPoint(640f, 400f));
        for (int f = 1; f < 60; f++)
        {
            Assert.Equal(FollowState.Idle, targetLock.Update([inFront]).State);
            Assert.True(targetLock.IsSelecting);
        }
        targetLock.Update([inFront]);
        Assert.False(targetLock.IsSelecting);
        Assert.Equal(FollowState.Idle, targetLock.Update([inFront, arriving]).State);

        var patient = NewLock(new FollowOptions { FrameRate = Fps, PointWaitSeconds = 0f });
        patient.Select(TargetSelection.AtPoint(640f, 400f));
        for (int f = 0; f < 300; f++)
        {
            patient.Update([inFront]);
        }
        FollowCommand late = patient.Update([inFront, arriving]);
        Assert.Equal((FollowState.Locked, 6), (late.State, late.TrackId));
    }

    [Theory]
    [InlineData(640f, true)] // born on the point: the hidden person stepping out from behind
    [InlineData(700f, false)] // born 0.3 heights away and walking onto the point: someone else
    public void APointOnSomeoneHiddenTakesOnlyAPersonSteppingOutFromBehind(float bornAtX, bool expectLocked)
    {
        // The point (640, 400) lies 0.2 heights off the only box around it (the person in front, id 4, walking left
        // onto the point). After PointWaitSeconds (0.2 s = 6 frames) nobody was centred on it, so the person named is
        // hidden there: for HiddenPointSeconds (1 s, until frame 36) only a track born at the point may take the
        // selection. Id 4, which was there when the point was given, never can (it reaches the point at frame 20),
        // nor can a track born elsewhere that walks onto the point.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, PointWaitSeconds = 0.2f, HiddenPointSeconds = 1f });
        targetLock.Select(TargetSelection.AtPoint(640f, 400f));
        static TrackView InFront(int f) => Person(4, MathF.Max(640f, 680f - 2f * f), -2f, index: 0);
        for (int f = 0; f < 20; f++)
        {
            Assert.Equal(FollowState.Idle, targetLock.Update([InFront(f)]).State);
        }
        FollowCommand command = default;
        for (int f = 20; f < 34 && command.State != FollowState.Locked; f++)
        {
            // The new track is tentative for two frames (ByteTrack starts tracks unconfirmed), then confirmed; one
            // born off the point walks onto it at 6 px per frame (there from frame 30).
            float x = MathF.Max(640f, bornAtX - 6f * (f - 20));
            TrackState state = f < 22 ? TrackState.Tentative : TrackState.Confirmed;
            command = targetLock.Update([InFront(f), Person(9, x, state: state, index: 1)]);
        }
        Assert.Equal(expectLocked ? (FollowState.Locked, 9) : (FollowState.Idle, -1), (command.State, command.TrackId));
        Assert.Equal(!expectLocked, targetLock.IsSelecting);

        // After PointWaitSeconds + HiddenPointSeconds a pending selection is dropped.
        for (int f = 34; f < 40; f++)
        {
            targetLock.Update([InFront(f), Person(9, 640f, index: 1)]);
        }
        Assert.False(targetLock.IsSelecting);

        // Without a tolerance any box under the point is taken, so nobody is hidden there: the selection is dropped
        // after PointWaitSeconds alone.
        var anyBox = NewLock(new FollowOptions { FrameRate = Fps, PointTolerance = 0f, PointWaitSeconds = 0.2f, HiddenPointSeconds = 1f });
        anyBox.Select(TargetSelection.AtPoint(640f, 400f));
        for (int f = 0; f < 6; f++)
        {
            anyBox.Update([]);
        }
        Assert.False(anyBox.IsSelecting);
    }

    [Fact]
    public void OtherSelectionModes()
    {
        TrackView[] tracks = [Person(1, 200f, height: 150f, index: 0), Person(2, 660f, height: 180f, index: 1), Person(3, 1000f, height: 300f, index: 2)];
        var largest = NewLock();
        largest.Select(TargetSelection.LargestPerson());
        Assert.Equal(3, largest.Update(tracks).TrackId);

        var centre = NewLock();
        centre.Select(TargetSelection.NearestToCenter());
        Assert.Equal(2, centre.Update(tracks).TrackId);

        var byId = NewLock();
        byId.Select(TargetSelection.ById(1));
        FollowCommand command = byId.Update(tracks);
        Assert.Equal((FollowState.Locked, 1), (command.State, command.TrackId));

        // Region: whoever is inside when asked does not count; the first to walk in is chosen.
        var region = NewLock();
        region.Select(TargetSelection.FirstEntering(new BoxF(600, 0, 900, 720)));
        Assert.Equal(FollowState.Idle, region.Update(tracks).State);
        TrackView[] later = [Person(1, 700f, index: 0), Person(2, 665f, index: 1), Person(3, 1000f, index: 2)];
        Assert.Equal(1, region.Update(later).TrackId);
    }

    [Fact]
    public void TwoPeopleCrossingKeepsTheTarget()
    {
        // Target (id 1) walks right at 4 px/frame, the other person (id 2) left, in front of it. While they overlap
        // (frames 70..78) the target is hidden and the tracker has only the other person. After the crossing the
        // tracker gets identities wrong: the target comes back as a new id 3 and the other person carries id 1.
        // The lock must coast through the crossing on its prediction (not onto the person in front, who is inside
        // the gate but was seen beside the target), refuse id 1 (now outside the gate) and take id 3.
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.ById(1));
        float targetX = 300f, otherX = 900f;
        for (int f = 0; f < 150; f++)
        {
            targetX += 4f;
            otherX -= 4f;
            bool hidden = Math.Abs(targetX - otherX) < 40f;
            bool after = f > 78;
            TrackView other = Person(after ? 1 : 2, otherX, -4f, index: 0);
            TrackView target = Person(after ? 3 : 1, targetX, 4f, index: 1);
            TrackView[] tracks = hidden ? [other] : [other, target];
            FollowCommand command = targetLock.Update(tracks);
            Assert.True(command.HasBox, $"frame {f}");
            Assert.True(command.Box.IoU(target.Box) > 0.5f, $"frame {f}: followed {command.Box}, target at {target.Box}");
            if (hidden)
            {
                Assert.Equal(FollowState.Searching, command.State);
            }
            if (f < 70 || f >= 85)
            {
                // Re-acquired within 3 frames (ConfirmFrames) of coming back, as id 3.
                Assert.Equal((FollowState.Locked, after ? 3 : 1), (command.State, command.TrackId));
            }
        }
    }

    [Fact]
    public void TargetHiddenOneSecondIsReacquiredOnItsPath()
    {
        // Target walks right at 3 px/frame; a bystander stands still far away. The target is hidden for one second
        // (30 frames) behind an obstacle and comes back as a new track id (7) where constant velocity puts it.
        // Coasting set to cover the whole second (the default reports the prediction for 0.5 s only).
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, CoastSeconds = 1f });
        targetLock.Select(TargetSelection.ById(1));
        float x = 300f;
        int searching = 0;
        FollowCommand command = default;
        for (int f = 0; f < 90; f++)
        {
            x += 3f;
            bool hidden = f is >= 30 and < 60;
            int id = f < 30 ? 1 : 7;
            TrackView bystander = Person(2, 1100f, index: 0);
            TrackView[] tracks = hidden ? [bystander] : [bystander, Person(id, x, 3f, index: 1)];
            command = targetLock.Update(tracks);
            if (hidden)
            {
                searching++;
                Assert.Equal(FollowState.Searching, command.State);
                // Coasting: the predicted box stays on the hidden person's true position.
                Assert.True(command.Box.IoU(Person(0, x).Box) > 0.7f, $"frame {f}: predicted {command.Box}, truth x {x}");
            }
            else if (f >= 62)
            {
                // A new id needs ConfirmFrames (3) consecutive wins: locked from the third frame back.
                Assert.Equal(FollowState.Locked, command.State);
                Assert.Equal(7, command.TrackId);
            }
        }
        Assert.Equal(30, searching);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ANewTrackBornOutsideTheGateIsNotReacquired(bool gateAtBirth, bool expectReacquired)
    {
        // The target stands at x = 400 and vanishes. A new track (id 8) is born at x = 700, 1.5 heights away (far
        // outside the 0.2-height gate), and walks to x = 400 in a second: a person who was hidden reappears where
        // they were hidden, so this is someone else. Only without GateAtBirth does the lock take it.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, GateAtBirth = gateAtBirth });
        targetLock.Select(TargetSelection.ById(1));
        for (int f = 0; f < 10; f++)
        {
            targetLock.Update([Person(1, 400f)]);
        }
        bool reacquired = false;
        for (int f = 0; f < 80; f++)
        {
            float x = MathF.Max(400f, 700f - 10f * f);
            FollowCommand command = targetLock.Update([Person(8, x, x > 400f ? -10f : 0f)]);
            reacquired |= command.State == FollowState.Locked && command.TrackId == 8;
        }
        Assert.Equal(expectReacquired, reacquired);
    }

    [Fact]
    public void TargetLeavingTheFrameIsSearchedThenLostAndSteeringStops()
    {
        var options = new FollowOptions { FrameRate = Fps, SearchSeconds = 1f };
        var targetLock = NewLock(options);
        var steering = new SteeringController(SteeringMode.PanTilt,
            new PidSettings(1f, 0f, 0f, 0f, -1f, 1f, 0f), new PidSettings(1f, 0f, 0f, 0f, -1f, 1f, 0f));
        targetLock.Select(TargetSelection.ById(1));
        float x = 1150f;
        var states = new List<FollowState>();
        SteeringOutput output = default;
        for (int f = 0; f < 80; f++)
        {
            x += 6f;
            TrackView[] tracks = x < Width ? [Person(1, x, 6f)] : [];
            FollowCommand command = targetLock.Update(tracks);
            states.Add(command.State);
            output = steering.Update(command, 1f / Fps);
            if (command.State == FollowState.Locked)
            {
                Assert.True(output.Horizontal > 0f, "steers right towards a target on the right");
            }
            else
            {
                Assert.Equal(default, output);
            }
        }
        int firstSearching = states.IndexOf(FollowState.Searching);
        int lost = states.IndexOf(FollowState.Lost);
        // x passes 1280 at f = 21 (1150 + 6 * 22 = 1282); the search lasts 30 frames (1 s at 30 fps), so the
        // 31st searching frame reports Lost, and the next update is Idle.
        Assert.Equal(21, firstSearching);
        Assert.Equal(firstSearching + 30, lost);
        Assert.Equal(FollowState.Idle, states[lost + 1]);
        Assert.Equal(default, output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DroppedFramesKeepTheLocksVelocityAndClocksInSourceFrames(int step)
    {
        // A live pipeline that processes every third camera frame hands the lock FrameStep 3. The target walks 6 px
        // a source frame (180 px/s): its velocity is still reported per second, its prediction stays on it while it
        // is hidden, and the 1 s search ends after 30 source frames, i.e. after 10 updates instead of 30.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, SearchSeconds = 1f, CoastSeconds = 1f });
        targetLock.Select(TargetSelection.ById(1));
        var input = new FollowFrameInput(Affine2D.Identity, [], 0, frameStep: step);
        int f = 0;
        FollowCommand command = default;
        for (; f < 90; f += step)
        {
            command = targetLock.Update([Person(1, 200f + 6f * f, 6f)], input);
            Assert.Equal(FollowState.Locked, command.State);
        }
        Assert.Equal(180f / (Width / 2f), command.VelocityX, 0.01f);

        int searchingUpdates = 0;
        for (; command.State != FollowState.Lost; f += step)
        {
            command = targetLock.Update([], input);
            if (command.State == FollowState.Searching)
            {
                searchingUpdates++;
                Assert.True(command.Box.IoU(Person(0, 200f + 6f * f).Box) > 0.8f, $"frame {f}: predicted {command.Box}");
            }
        }
        Assert.Equal(30 / step, searchingUpdates);
    }

    [Theory]
    [InlineData(0.85f)] // the default (colour histogram)
    [InlineData(0.8f)]  // with a re-id model
    public void LookAlikeAtTheVanishingPointAndTargetFarAwayAreNotTaken(float vouch)
    {
        // The target walks right at 8 px/frame and vanishes at x = 500. 20 frames later a look-alike (same
        // appearance vector) appears standing at x = 500, behind the prediction, while the real target
        // reappears at x = 1100, far from any prediction. The lock must not jump to either: it keeps searching
        // and then reports Lost. Both look like the target, so appearance vouches for neither.
        var options = new FollowOptions { FrameRate = Fps, SearchSeconds = 1.5f, GateRadius = 0.3f, GateGrowthPerSecond = 0.3f, VouchSimilarity = vouch };
        var targetLock = NewLock(options);
        targetLock.Select(TargetSelection.ById(1));
        float[] look = [1f, 0f, 0f, 0f];
        float x = 340f;
        var states = new List<FollowState>();
        for (int f = 0; f < 80; f++)
        {
            TrackView[] tracks;
            if (f < 20)
            {
                x += 8f;
                tracks = [Person(1, x, 8f)];
            }
            else if (f < 40)
            {
                tracks = [];
            }
            else
            {
                tracks = [Person(5, 500f, 0f, index: 0), Person(6, 1100f, 0f, index: 1)];
            }
            float[] appearance = tracks.Length == 2 ? [.. look, .. look] : tracks.Length == 1 ? look : [];
            FollowCommand command = targetLock.Update(tracks, new FollowFrameInput(Affine2D.Identity, appearance, 4));
            states.Add(command.State);
            Assert.False(command.TrackId is 5 or 6, $"frame {f}: jumped to track {command.TrackId}");
        }
        // Prediction at frame 40 is x = 500 + 8 * 21 = 668 (gate 0.3 + 0.3 * 0.7 s = 0.51 heights = 102 px
        // against a distance of 168 px), and it moves away from both candidates afterwards.
        Assert.Contains(FollowState.Lost, states);
    }

    [Fact]
    public void AppearanceVetoesACandidateInsideTheGate()
    {
        // Same geometry as a clean re-acquisition, but the returning track looks different: never taken.
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], blue = [0f, 1f];
        float x = 300f;
        for (int f = 0; f < 40; f++)
        {
            x += 2f;
            bool visible = f < 10 || f >= 20;
            TrackView[] tracks = visible ? [Person(f < 10 ? 1 : 9, x, 2f)] : [];
            float[] appearance = visible ? (f < 10 ? red : blue) : [];
            FollowCommand command = targetLock.Update(tracks, new FollowFrameInput(Affine2D.Identity, appearance, 2));
            if (f >= 20)
            {
                Assert.Equal(FollowState.Searching, command.State);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnIdSwitchInsideTheGateIsDroppedOnceClearViewsLookLikeSomeoneElse(bool withAppearance)
    {
        // A (red) walks right alone; B (blue) catches up and walks overlapping A; while they overlap the tracker
        // swaps their ids, then B drifts ahead. Every step stays inside the motion gate, so motion alone keeps
        // following id 1 onto B; clear views of it that look unlike the target end the lock on it.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, AppearanceSwitchFrames = 3 });
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], blue = [0f, 1f], purple = [0.7071f, 0.7071f];
        bool leftB = false;
        for (int f = 0; f < 50; f++)
        {
            float xa = 300f + (4f * f);
            float xb = xa + 10f + (f < 20 ? 0f : 3f * (f - 20));
            bool overlapping = xb - xa < 48f;
            TrackView[] tracks = f < 10
                ? [Person(1, xa, 4f)]
                : [Person(f < 20 ? 1 : 5, xa, 4f, index: 0), Person(f < 20 ? 5 : 1, xb, f < 20 ? 4f : 7f, index: 1)];
            float[] rows = f < 10 ? red : overlapping ? [.. purple, .. purple] : [.. red, .. blue];
            FollowCommand command = targetLock.Update(tracks, withAppearance ? new FollowFrameInput(Affine2D.Identity, rows, 2) : FollowFrameInput.None);
            leftB |= f >= 20 && command.TrackId != 1;
            if (withAppearance && !overlapping && f >= 20)
            {
                Assert.True(leftB || f < 34 + 3, $"frame {f}: still on id 1 (B) at x {xb}");
            }
        }
        Assert.Equal(withAppearance, leftB);
    }

    [Fact]
    public void APoorFirstViewIsAveragedOutNotHeldAgainstTheSamePerson()
    {
        // The lock starts on a poor view of the target (cosine 0.5 with its clear views, under the 0.6 floor: a
        // person stepping into the picture). Judged against that view alone, the clear views that follow would end
        // the lock as an id switch after three frames; averaged in, the second one already confirms the target. Once
        // confirmed, a real switch (blue) is still dropped.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, MinAppearanceSimilarity = 0.6f, AppearanceSwitchFrames = 3 });
        targetLock.Select(TargetSelection.ById(1));
        float[] poor = [0.5f, 0.8660f], red = [1f, 0f], blue = [0f, 1f];
        int droppedAt = -1;
        for (int f = 0; f < 40 && droppedAt < 0; f++)
        {
            float[] row = f == 0 ? poor : f < 30 ? red : blue;
            FollowCommand command = targetLock.Update([Person(1, 300f + (2f * f), 2f)], new FollowFrameInput(Affine2D.Identity, row, 2));
            droppedAt = command.State == FollowState.Locked ? -1 : f;
        }
        Assert.Equal(32, droppedAt);
    }

    [Theory]
    [InlineData(false, 17)]
    [InlineData(true, 32)]
    public void RowsRepeatedFromTheGalleryAreNoNewViews(bool poorStart, int expectedDrop)
    {
        // A re-id budget fills the tracks it did not embed with their gallery mean, flagged as not fresh.
        // Without a poor start: ten repeated rows that look unlike the confirmed target (frames 5-14) are not three
        // clear views in a row; the first three fresh ones (15-17) are.
        // With a poor start: the lock starts on a repeated row, a track's only, poor view (vtest.avi: a person's
        // first frame), repeated twice more. Repeats do not confirm it, so the fresh clear views from frame 3 on
        // are averaged in instead of counted as a switch; the real switch to blue at 30 is dropped at 32.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, MinAppearanceSimilarity = 0.6f, AppearanceSwitchFrames = 3 });
        targetLock.Select(TargetSelection.ById(1));
        float[] poor = [0.5f, 0.8660f], red = [1f, 0f], blue = [0f, 1f];
        int droppedAt = -1;
        for (int f = 0; f < 40 && droppedAt < 0; f++)
        {
            (float[] row, bool fresh) = poorStart
                ? (f < 3 ? poor : f < 30 ? red : blue, f >= 3)
                : (f < 5 ? red : blue, f < 5 || f >= 15);
            FollowCommand command = targetLock.Update([Person(1, 300f + (2f * f), 2f)], new FollowFrameInput(Affine2D.Identity, row, 2, [fresh]));
            droppedAt = command.State == FollowState.Locked ? -1 : f;
        }
        Assert.Equal(expectedDrop, droppedAt);
    }

    [Theory]
    [InlineData(0.6f, true)]
    [InlineData(0f, false)]
    public void LowScoringViewsDoNotTeachTheTargetsAppearance(float minScore, bool expectDropped)
    {
        // 30 frames of the target half hidden: low detection scores, vectors half someone else's (similar enough to
        // pass the similarity gate). Learning from them would drift the target's appearance so far that a later
        // clear view of the other person passes as the target.
        // A floor low enough that the drifted appearance lets the other person through (the default 0.6 alone would
        // stop this one).
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, AppearanceMinScore = minScore, MinAppearanceSimilarity = 0.3f, AppearanceSwitchFrames = 3 });
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], blue = [0f, 1f], purple = [0.7071f, 0.7071f];
        bool dropped = false;
        for (int f = 0; f < 50; f++)
        {
            TrackView track = Person(1, 300f + (2f * f), 2f);
            float[] row = f < 10 ? red : f < 40 ? purple : blue;
            track = f is >= 10 and < 40 ? track with { Score = 0.45f } : track;
            FollowCommand command = targetLock.Update([track], new FollowFrameInput(Affine2D.Identity, row, 2));
            dropped |= command.State != FollowState.Locked;
        }
        Assert.Equal(expectDropped, dropped);
    }

    [Fact]
    public void ViewsThatLookUnlikeTheTargetDoNotTeachItsAppearance()
    {
        // The locked id shows someone else (blue) for 40 clear, confident frames; the switch check is off, so the
        // lock keeps following it. Learning from those views would turn the target's appearance blue (0.9^40 of red
        // left), and the target (red) coming back under a new id on its path would then be refused.
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], blue = [0f, 1f];
        FollowCommand command = default;
        for (int f = 0; f < 60; f++)
        {
            float x = 300f + (2f * f);
            TrackView[] tracks = f < 40 ? [Person(1, x, 2f)] : f < 50 ? [] : [Person(9, x, 2f)];
            float[] rows = f < 10 || f >= 50 ? red : f < 40 ? blue : [];
            command = targetLock.Update(tracks, new FollowFrameInput(Affine2D.Identity, rows, 2));
        }
        Assert.Equal(FollowState.Locked, command.State);
        Assert.Equal(9, command.TrackId);
    }

    [Fact]
    public void AHiddenCandidateIsJudgedByMotionAlone()
    {
        // The target (red) is lost for 10 frames and comes back on its path under a new id, half hidden behind
        // someone new (its vector is mostly theirs, blue). Comparing that view would veto the target itself.
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], blue = [0f, 1f];
        FollowCommand command = default;
        for (int f = 0; f < 30; f++)
        {
            float x = 300f + (2f * f);
            TrackView[] tracks = f < 10 ? [Person(1, x, 2f)] : f < 20 ? [] : [Person(9, x, 2f, index: 0), Person(3, x + 40f, 0f, cy: 420f, index: 1)];
            float[] rows = f < 10 ? red : f < 20 ? [] : [.. blue, .. blue];
            command = targetLock.Update(tracks, new FollowFrameInput(Affine2D.Identity, rows, 2));
        }
        Assert.Equal(FollowState.Locked, command.State);
        Assert.Equal(9, command.TrackId);
    }

    [Fact]
    public void CameraMotionMovesThePrediction()
    {
        // A static target; the camera pans so everything shifts 10 px left per frame. With the warp the prediction
        // follows the image; without it it would stay put.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, CoastSeconds = 1f });
        targetLock.Select(TargetSelection.ById(1));
        targetLock.Update([Person(1, 640f)]);
        var pan = new Affine2D(1f, 0f, -10f, 0f, 1f, 0f);
        FollowCommand command = default;
        for (int f = 1; f <= 20; f++)
        {
            command = targetLock.Update([], new FollowFrameInput(pan, [], 0));
        }
        Assert.Equal(FollowState.Searching, command.State);
        Assert.Equal(640f - 200f, command.Box.CenterX, 1f);
    }

    [Fact]
    public void CommandIsNormalisedToTheImage()
    {
        // 1280x720 image; box centre (960, 180), height 144: offsets (960-640)/640 = 0.5, (180-360)/360 = -0.5,
        // height 144/720 = 0.2; tracker velocity 6.4 px/frame initialises the model: 6.4/640*30 = 0.3 per second.
        var targetLock = NewLock();
        targetLock.Select(TargetSelection.ById(4));
        var track = new TrackView(4, BoxF.FromCenter(960f, 180f, 50f, 144f), 0.9f, 0, TrackState.Confirmed, 0, 0, 6.4f, 0f);
        FollowCommand command = targetLock.Update([track]);
        Assert.Equal(0.5f, command.OffsetX, 5);
        Assert.Equal(-0.5f, command.OffsetY, 5);
        Assert.Equal(0.2f, command.Height, 5);
        Assert.Equal(0.3f, command.VelocityX, 5);
        Assert.Equal(1f, command.Confidence);
    }

    [Theory]
    [InlineData(0f, true)]
    [InlineData(0.5f, false)]
    public void VelocityGateRefusesSomeoneWalkingTheOtherWay(float velocityGate, bool expectReacquired)
    {
        // Target walks right at 4 px/frame (box height 200: 0.6 heights/s at 30 fps), hidden for 10 frames; then a
        // track appears exactly on the prediction but with tracker velocity -4 px/frame: a difference of
        // 8 * 30 / 200 = 1.2 heights/s, outside a 0.5 heights/s velocity gate.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, VelocityGate = velocityGate });
        targetLock.Select(TargetSelection.ById(1));
        float x = 300f;
        bool reacquired = false;
        for (int f = 0; f < 30; f++)
        {
            x += 4f;
            TrackView[] tracks = f < 10 ? [Person(1, x, 4f)] : f < 20 ? [] : [Person(8, x, -4f)];
            reacquired |= targetLock.Update(tracks).TrackId == 8;
        }
        Assert.Equal(expectReacquired, reacquired);
    }

    [Theory]
    [InlineData(0.9f, false, true, true)]
    [InlineData(0.4f, false, true, false)] // a low score: a hidden person, where trackers swap ids
    [InlineData(0.9f, true, true, false)] // someone else's box overlaps it (IoU 0.33): ambiguous
    [InlineData(0.9f, false, false, false)] // TrustTrackReturn off: only returns near the prediction count
    public void TheTargetsOwnTrackReturningClearlyVisibleIsTakenBackAwayFromThePrediction(float score, bool overlapped, bool trust, bool expectReacquired)
    {
        // The target walks right at 4 px/frame (box height 200), is hidden for 15 frames (0.5 s) and stopped while
        // hidden: its own track id comes back 20 px past where it vanished, 40 px (0.2 heights) behind the
        // constant-velocity prediction. That is inside the gate (0.3 heights after 0.5 s) but too far for the
        // re-acquisition threshold (confidence exp(-2 * (0.2 / 0.3)^2) = 0.41 < 0.5), and every later frame the
        // prediction walks further away. With overlapped, a person seen beside the target the whole time stands where
        // the target stops.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, TrustTrackReturn = trust });
        targetLock.Select(TargetSelection.ById(1));
        float x = 300f;
        FollowCommand command = default;
        bool reacquired = false;
        for (int f = 0; f < 40; f++)
        {
            TrackView bystander = overlapped ? Person(5, 390f, index: 0) : Person(5, 900f, index: 0);
            TrackView[] tracks;
            if (f < 10)
            {
                x += 4f;
                tracks = [bystander, Person(1, x, 4f, index: 1)];
            }
            else if (f < 25)
            {
                tracks = [bystander, LostTrack(1, x)];
            }
            else
            {
                TrackView back = Person(1, x + 20f, index: 1) with { Score = score };
                tracks = [bystander, back];
            }
            command = targetLock.Update(tracks);
            reacquired |= f >= 25 && command.State == FollowState.Locked && command.TrackId == 1;
        }
        Assert.Equal(expectReacquired, reacquired);
        Assert.Equal(expectReacquired ? FollowState.Locked : FollowState.Searching, command.State);
    }

    [Theory]
    [InlineData(0.7f, 1f, true, true)]
    [InlineData(0f, 1f, true, false)] // no vouching: motion alone refuses a track born off the prediction
    [InlineData(0.7f, 0.65f, true, false)] // a look-alike: above the 0.6 floor, below the vouch
    [InlineData(0.7f, 1f, false, false)] // a row repeated from the gallery is no view of this person
    public void APersonWhoStoppedWhileHiddenIsTakenBackWhenAppearanceVouchesForThem(float vouch, float cosine, bool fresh, bool expectReacquired)
    {
        // The target (red) walks right at 8 px/frame (box height 200), vanishes behind something and stops there:
        // half a second later a new track (7) is born 10 px past where it vanished, standing still. The constant-velocity
        // prediction is 120 px (0.6 heights) further on by then, outside the 0.3-height gate, so the birth gate refuses
        // the new track and the straight gate never reaches it. A clear, fresh view that looks like the confirmed
        // target vouches for it: it is gated along the path since the target was last seen, and taken back.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, MinAppearanceSimilarity = 0.6f, VouchSimilarity = vouch });
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], candidate = [cosine, MathF.Sqrt(1f - (cosine * cosine))];
        float x = 300f;
        bool reacquired = false;
        for (int f = 0; f < 50; f++)
        {
            FollowCommand command;
            if (f < 20)
            {
                x += 8f;
                command = targetLock.Update([Person(1, x, 8f)], new FollowFrameInput(Affine2D.Identity, red, 2));
            }
            else if (f < 35)
            {
                command = targetLock.Update([], new FollowFrameInput(Affine2D.Identity, [], 2));
            }
            else
            {
                command = targetLock.Update([Person(7, x + 10f)], new FollowFrameInput(Affine2D.Identity, candidate, 2, [fresh]));
            }
            reacquired |= command.State == FollowState.Locked && command.TrackId == 7;
        }
        Assert.Equal(expectReacquired, reacquired);
    }

    [Theory]
    [InlineData(true, false)] // a car hides the id: judged by motion alone, which says nothing against what appearance said
    [InlineData(false, true)] // a clear view that looks like the target vouches for it
    public void AnIdDroppedForLookingLikeSomeoneElseComesBackOnlyWhenAppearanceVouchesForIt(bool hiddenByCar, bool expectReacquired)
    {
        // Target A (red, id 1) walks right. At frame 10 the tracker moves id 1 onto B (blue) walking where A would be;
        // three clear blue views end the lock on it at frame 12. Id 1 then keeps walking on the prediction. Behind a
        // car (another class, covering most of its box) its view is not compared, and motion alone would take it back
        // as a new candidate after ConfirmFrames; appearance already said it carries someone else.
        var targetLock = NewLock(new FollowOptions { FrameRate = Fps, MinAppearanceSimilarity = 0.6f, AppearanceSwitchFrames = 3, VouchSimilarity = 0.8f });
        targetLock.Select(TargetSelection.ById(1));
        float[] red = [1f, 0f], blue = [0f, 1f];
        bool dropped = false, reacquired = false;
        for (int f = 0; f < 40; f++)
        {
            float x = 300f + (2f * f);
            TrackView person = Person(1, x, 2f);
            FollowCommand command;
            if (f < 15 || !hiddenByCar)
            {
                float[] row = f < 10 ? red : f < 15 ? blue : red;
                command = targetLock.Update([person], new FollowFrameInput(Affine2D.Identity, row, 2));
            }
            else
            {
                TrackView car = Person(9, x + 20f, 2f, index: 1) with { ClassId = 2 };
                command = targetLock.Update([person, car], new FollowFrameInput(Affine2D.Identity, [.. blue, 0f, 0f], 2));
            }
            dropped |= f == 12 && command.State == FollowState.Searching;
            reacquired |= f >= 15 && command.State == FollowState.Locked;
        }
        Assert.True(dropped, "the switch to B was not dropped at frame 12");
        Assert.Equal(expectReacquired, reacquired);
    }
}
