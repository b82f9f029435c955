namespace Edge.FollowMe;

/// <summary>Settings of <see cref="TargetLock"/>. Distances are in units of the target's predicted box height, so
/// one setting works at every image size and distance; times are in seconds and converted with
/// <see cref="FrameRate"/>.</summary>
public sealed record FollowOptions
{
    /// <summary>Frames per second of the tracker's input.</summary>
    public float FrameRate { get; init; } = 30f;

    /// <summary>Class id of people in the tracks (0 in COCO); -1 accepts every class.</summary>
    public int PersonClassId { get; init; }

    /// <summary>Seconds the lock searches before it reports <see cref="FollowState.Lost"/>.</summary>
    public float SearchSeconds { get; init; } = 3f;

    /// <summary>Seconds of a search during which the predicted box is reported; after that the lock keeps
    /// searching but reports no box (a long coast drifts onto other people).</summary>
    public float CoastSeconds { get; init; } = 0.5f;

    /// <summary>Consecutive frames a new track id must win before it is re-acquired (the locked id coming back
    /// needs one): a passer-by crossing the prediction does not stay in it.</summary>
    public int ConfirmFrames { get; init; } = 3;

    /// <summary>Motion gate radius right after the loss (box heights between predicted and candidate centre).</summary>
    public float GateRadius { get; init; } = 0.2f;

    /// <summary>While searching, gate candidates around the whole path from where the target was last seen to its
    /// constant-velocity prediction (a person who stopped or turned while hidden), not only the prediction. Off by
    /// default: on the MOT17 development sequences (no appearance there, any box under a point) it raises correct 0.729
    /// to 0.779 but also wrong 0.076 to 0.111 (docs/follow-me.md).</summary>
    public bool SearchAlongPath { get; init; }

    /// <summary>Growth of the gate radius per second of search: a walking person can turn or stop, so the
    /// prediction's error grows with time (kept small: in crowds neighbours stand 0.3 heights apart).</summary>
    public float GateGrowthPerSecond { get; init; } = 0.2f;

    /// <summary>Largest accepted difference between a candidate's tracker velocity and the lock's, in box heights
    /// per second (0 = off): a person walking the other way through the prediction is not the target.</summary>
    public float VelocityGate { get; init; }

    /// <summary>Largest accepted |ln(candidate height / predicted height)| (0.4: about x1.5).</summary>
    public float SizeGate { get; init; } = 0.4f;

    /// <summary>Selection by point names the person whose box is centred on the point: it resolves only to a box
    /// whose centre lies within this many box heights of the point, and stays pending (Idle) until one does
    /// (0 = any box under the point, nearest centre first). A point off the centre of the only box around it usually
    /// names someone hidden behind that person, and following the person in front is the failure that matters most
    /// (docs/follow-me.md: on MOT17 0.06 takes the wrong rate from 0.079 to 0.019). Clicks in the web view select
    /// the clicked box by track id, so this rule only applies to points given as a person's centre.</summary>
    public float PointTolerance { get; init; } = 0.06f;

    /// <summary>Seconds a point selection waits for a box centred on the point before it is dropped (0 = no limit):
    /// the point names whoever is centred there when it is given, and later other people walk through it. A few
    /// frames let detection jitter bring the named box onto the point; longer waits mostly catch passers-by
    /// (docs/follow-me.md, held-out check: 2 s -> 0.2 s lowers wrong on new detections by 0.006 for 0.002 correct).</summary>
    public float PointWaitSeconds { get; init; } = 0.2f;

    /// <summary>Seconds a point nobody is centred on keeps waiting, after <see cref="PointWaitSeconds"/>, for the
    /// person hidden there to step out (0 = off; needs <see cref="PointTolerance"/> &gt; 0): only a track born centred
    /// on the point then takes the selection, never one that was already there or walked in from elsewhere
    /// (docs/follow-me.md: on MOT17 correct 0.773 -> 0.781, wrong unchanged).</summary>
    public float HiddenPointSeconds { get; init; } = 1f;

    /// <summary>While searching, a track born during the search must have been born inside the gate to be a
    /// candidate: a person who was hidden reappears where they were hidden, one born elsewhere who walks into the gate
    /// is someone else (docs/follow-me.md: wrong 0.115 -> 0.106 on MOT20-01, correct unchanged).</summary>
    public bool GateAtBirth { get; init; } = true;

    /// <summary>While searching, take the tracker's own lost target track back anywhere inside the gate when it
    /// returns on a detection scoring at least <see cref="ReturnMinScore"/> that no other tracked box overlaps at
    /// IoU <see cref="ReturnMaxOverlap"/> or more; other candidates must score <see cref="ReacquireThreshold"/> near
    /// the prediction. A person who slowed down or stopped while hidden comes back off the constant-velocity
    /// prediction (docs/follow-me.md: on MOT17 correct 0.729 -> 0.773, wrong unchanged). A low score (a hidden
    /// person) or an overlapping box is where trackers swap ids, so those returns get no trust.</summary>
    public bool TrustTrackReturn { get; init; } = true;

    /// <summary>Smallest detection score of a trusted return (<see cref="TrustTrackReturn"/>): 0.6 is ByteTrack's
    /// score for starting a new track, i.e. a clearly visible person.</summary>
    public float ReturnMinScore { get; init; } = 0.6f;

    /// <summary>A returning track overlapping another tracked box at this IoU or more is not trusted
    /// (<see cref="TrustTrackReturn"/>).</summary>
    public float ReturnMaxOverlap { get; init; } = 0.1f;

    /// <summary>Re-acquire only when the best candidate's confidence reaches this.</summary>
    public float ReacquireThreshold { get; init; } = 0.5f;

    /// <summary>Wait (do not re-acquire) while the runner-up scores at least this fraction of the best.</summary>
    public float AmbiguityRatio { get; init; } = 0.7f;

    /// <summary>Weight of appearance in the confidence when appearance vectors are given (the rest is motion). It lifts
    /// candidates that motion alone scores just below <see cref="ReacquireThreshold"/> over it: on vtest.avi that takes
    /// back people checked by eye (docs/follow-me.md), with the simulated re-id on MOT17 it also takes some wrong ones
    /// (0 there: wrong 0.014 instead of 0.020).</summary>
    public float AppearanceWeight { get; init; } = 0.5f;

    /// <summary>A candidate whose appearance similarity to the target is below this is never accepted. 0.6 sits below
    /// one person's views at p1 for the colour histogram and at p1-p5 for OSNet on vtest.avi (docs/follow-me.md).</summary>
    public float MinAppearanceSimilarity { get; init; } = 0.6f;

    /// <summary>While searching, a candidate whose fresh, clear view looks like the confirmed target at least this much
    /// is vouched for by appearance (0 = off; 0.85 for the colour histogram, whose views of different people reach 0.81
    /// at p99 on vtest.avi, 0.8 with a re-id model, 0.70 there): the birth gate (<see cref="GateAtBirth"/>) does not
    /// refuse it and it is gated against the whole path since the target was last seen (<see cref="SearchAlongPath"/>).
    /// Those motion rules refuse people who reappear off the constant-velocity prediction because motion cannot tell who
    /// they are; appearance can (docs/follow-me.md, vtest.avi: a man who stopped behind a sign comes back as a new track
    /// born beside where he was last seen). It counts only when one person in view vouches.</summary>
    public float VouchSimilarity { get; init; } = 0.85f;

    /// <summary>While locked, a clear view of the locked track below <see cref="MinAppearanceSimilarity"/> this many
    /// frames in a row means the tracker gave the id to someone else: the lock drops the id and searches (0 = off). The
    /// dropped id then comes back only on a view that vouches for it (<see cref="VouchSimilarity"/>).</summary>
    public int AppearanceSwitchFrames { get; init; } = 3;

    /// <summary>Rate of the exponential average of the target's appearance, per frame in which it is seen unoccluded
    /// and looks like the target (similarity at least <see cref="MinAppearanceSimilarity"/>), scaled by the detection
    /// score from 0 at <see cref="AppearanceMinScore"/> to 1 at score 1.</summary>
    public float AppearanceUpdateRate { get; init; } = 0.1f;

    /// <summary>Views of the target from detections scoring at or below this do not teach its appearance.</summary>
    public float AppearanceMinScore { get; init; } = 0.6f;

    /// <summary>Report the predicted box while searching (switch off to measure what coasting gives).</summary>
    public bool Coasting { get; init; } = true;

    /// <summary>Reject candidates outside the motion gate (switch off to measure what gating gives: the lock then
    /// takes the nearest person).</summary>
    public bool MotionGating { get; init; } = true;

    /// <summary>Never re-acquire a track that was seen at the same time as the target (it is someone else).</summary>
    public bool ExcludeCoVisible { get; init; } = true;

    /// <summary>Use the appearance vectors of <see cref="FollowFrameInput"/> when given.</summary>
    public bool UseAppearance { get; init; } = true;

    /// <summary>Warp the prediction by <see cref="FollowFrameInput.CameraMotion"/>.</summary>
    public bool UseCameraMotion { get; init; } = true;

    /// <summary>The gate radius for an update <paramref name="frameStep"/> frames after the previous one at
    /// <see cref="FrameRate"/>: <see cref="GateRadius"/> holds for steps of 1/30 s and less; over longer steps (a lower
    /// rate, or frames dropped by a live pipeline) people move further between updates and the lock's velocity
    /// estimate is coarser, so it widens with the interval (10 fps: three times).</summary>
    internal float GateRadiusFor(int frameStep) => GateRadius * MathF.Max(1f, 30f * frameStep / FrameRate);

    internal int CoastFrames => (int)MathF.Round(CoastSeconds * FrameRate);

    internal int PointWaitFrames => (int)MathF.Ceiling(PointWaitSeconds * FrameRate);

    /// <summary>0 without a <see cref="PointTolerance"/>: any box under the point is taken, so nobody is hidden there.</summary>
    internal int HiddenPointFrames => PointTolerance > 0f ? (int)MathF.Ceiling(HiddenPointSeconds * FrameRate) : 0;

    internal int SearchFrames => Math.Max(1, (int)MathF.Round(SearchSeconds * FrameRate));

    /// <summary>Throws an <see cref="EdgeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Check(FrameRate > 0f, nameof(FrameRate), FrameRate);
        Check(SearchSeconds >= 0f, nameof(SearchSeconds), SearchSeconds);
        Check(CoastSeconds >= 0f, nameof(CoastSeconds), CoastSeconds);
        Check(ConfirmFrames >= 1, nameof(ConfirmFrames), ConfirmFrames);
        Check(GateRadius > 0f, nameof(GateRadius), GateRadius);
        Check(GateGrowthPerSecond >= 0f, nameof(GateGrowthPerSecond), GateGrowthPerSecond);
        Check(VelocityGate >= 0f, nameof(VelocityGate), VelocityGate);
        Check(PointTolerance >= 0f, nameof(PointTolerance), PointTolerance);
        Check(PointWaitSeconds >= 0f, nameof(PointWaitSeconds), PointWaitSeconds);
        Check(HiddenPointSeconds >= 0f, nameof(HiddenPointSeconds), HiddenPointSeconds);
        Check(SizeGate > 0f, nameof(SizeGate), SizeGate);
        Check(ReturnMinScore is >= 0f and <= 1f, nameof(ReturnMinScore), ReturnMinScore);
        Check(ReturnMaxOverlap is > 0f and <= 1f, nameof(ReturnMaxOverlap), ReturnMaxOverlap);
        Check(ReacquireThreshold is >= 0f and <= 1f, nameof(ReacquireThreshold), ReacquireThreshold);
        Check(AmbiguityRatio is > 0f and <= 1f, nameof(AmbiguityRatio), AmbiguityRatio);
        Check(AppearanceWeight is >= 0f and <= 1f, nameof(AppearanceWeight), AppearanceWeight);
        Check(AppearanceUpdateRate is > 0f and <= 1f, nameof(AppearanceUpdateRate), AppearanceUpdateRate);
        Check(VouchSimilarity is >= 0f and <= 1f, nameof(VouchSimilarity), VouchSimilarity);
        Check(AppearanceSwitchFrames >= 0, nameof(AppearanceSwitchFrames), AppearanceSwitchFrames);
        Check(AppearanceMinScore is >= 0f and < 1f, nameof(AppearanceMinScore), AppearanceMinScore);
    }

    private static void Check(bool ok, string name, float value)
    {
        if (!ok)
        {
            throw new EdgeException($"Follow Me setting {name} = {value} is out of range.");
        }
    }
}
