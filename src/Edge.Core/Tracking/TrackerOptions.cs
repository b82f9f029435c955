namespace Edge.Tracking;

/// <summary>
/// Settings of <see cref="ByteTracker"/>. The first six are named after Ultralytics' tracker YAML
/// (<c>bytetrack.yaml</c>): <c>track_high_thresh</c>, <c>track_low_thresh</c>, <c>new_track_thresh</c>,
/// <c>track_buffer</c>, <c>match_thresh</c>, <c>fuse_score</c>; the rest switch the extras beyond ByteTrack.
/// </summary>
public sealed record TrackerOptions
{
    /// <summary><c>track_high_thresh</c>: detections scoring above it enter the first association
    /// (ByteTrack's <c>track_thresh</c>).</summary>
    public float TrackHighThresh { get; init; } = 0.5f;

    /// <summary><c>track_low_thresh</c>: detections scoring above it and below the high threshold enter the
    /// second association (ByteTrack hard-codes 0.1).</summary>
    public float TrackLowThresh { get; init; } = 0.1f;

    /// <summary><c>new_track_thresh</c>: an unmatched high detection starts a track when its score is at least
    /// this (ByteTrack: <c>track_thresh + 0.1</c>).</summary>
    public float NewTrackThresh { get; init; } = 0.6f;

    /// <summary><c>track_buffer</c> in seconds: how long a lost track is kept for re-identification, converted
    /// to frames with the source frame rate.</summary>
    public double TrackBufferSeconds { get; init; } = 1.0;

    /// <summary><c>track_buffer</c> in frames at 30 fps, for compatibility with ByteTrack/Ultralytics configs:
    /// when set it wins over <see cref="TrackBufferSeconds"/> and gives <c>int(fps / 30 * frames)</c> frames,
    /// the reference formula.</summary>
    public int? TrackBufferFrames { get; init; }

    /// <summary><c>match_thresh</c>: cost limit of the first association (1 − IoU, score-fused).</summary>
    public float MatchThresh { get; init; } = 0.8f;

    /// <summary><c>fuse_score</c>: multiply IoU by the detection score in the first association and for
    /// unconfirmed tracks (ByteTrack with <c>mot20 = False</c>).</summary>
    public bool FuseScore { get; init; } = true;

    /// <summary>Cost limit of the second (low-score) association; ByteTrack hard-codes 0.5.</summary>
    public float SecondMatchThresh { get; init; } = 0.5f;

    /// <summary>Cost limit for unconfirmed (one-frame) tracks; ByteTrack hard-codes 0.7.</summary>
    public float UnconfirmedMatchThresh { get; init; } = 0.7f;

    /// <summary>Tracked and lost tracks overlapping with IoU above this are duplicates; the younger one is
    /// dropped (ByteTrack's <c>remove_duplicate_stracks</c>, IoU distance &lt; 0.15).</summary>
    public float DuplicateIoU { get; init; } = 0.85f;

    /// <summary>Compute IoU with the "+1 pixel" width/height convention of <c>cython_bbox</c>, which ByteTrack's
    /// reference uses. Only the reference configuration needs it.</summary>
    public bool LegacyPixelIoU { get; init; }

    /// <summary>Warp predictions by <see cref="TrackerFrameContext.CameraMotion"/> (BoT-SORT GMC).</summary>
    public bool CameraMotionCompensation { get; init; } = true;

    /// <summary>OC-SORT observation-centric re-update (arXiv 2203.14360, ORU): when a lost track is found again,
    /// replay a linearly interpolated virtual trajectory through the filter before the real update.</summary>
    public bool ObservationCentricReUpdate { get; init; }

    /// <summary>OC-SORT observation-centric momentum (arXiv 2203.14360 §3.3, OCM): in the first association, lower the
    /// cost of pairs whose direction from the track's observation <see cref="MomentumDeltaT"/> frames back agrees with
    /// the track's observed motion direction, by <see cref="MomentumWeight"/> · score · (π/2 − Δθ)/π. Only re-ranks
    /// pairs the IoU limit already admits.</summary>
    public bool ObservationCentricMomentum { get; init; }

    /// <summary>OC-SORT's <c>inertia</c> (<c>vdc_weight</c>), 0.2 in its MOT17 setting.</summary>
    public float MomentumWeight { get; init; } = 0.2f;

    /// <summary>OC-SORT's <c>delta_t</c>: frames between the observations that give a track's direction (3).</summary>
    public int MomentumDeltaT { get; init; } = 3;

    /// <summary>Let low-score detections also recover lost tracks in the second association (ByteTrack only offers
    /// them to tracks matched in the previous frame). Occluded people score low, and the frames where they
    /// reappear are exactly where a lost track should resume.</summary>
    public bool LowScoreRecoversLost { get; init; }

    /// <summary>Use <see cref="TrackerFrameContext.Embeddings"/> when given (BoT-SORT appearance fusion).</summary>
    public bool Appearance { get; init; } = true;

    /// <summary>Appearance is only trusted for pairs with IoU distance below this (BoT-SORT <c>proximity_thresh</c>).</summary>
    public float ProximityThresh { get; init; } = 0.5f;

    /// <summary>Appearance distance (cosine distance / 2) above which appearance is ignored (BoT-SORT
    /// <c>appearance_thresh</c>).</summary>
    public float AppearanceThresh { get; init; } = 0.25f;

    /// <summary>Exponential moving average weight of the track embedding (BoT-SORT <c>alpha</c>).</summary>
    public float EmbeddingMomentum { get; init; } = 0.9f;

    /// <summary>ByteTrack's reference run: <c>track_thresh</c> 0.5, <c>match_thresh</c> 0.8, <c>track_buffer</c> 30
    /// frames at 30 fps, new tracks at 0.6, score fusion on, cython_bbox IoU, no extras. (Its output filter,
    /// w·h &gt; 10 and w/h ≤ 1.6, belongs to the writer.)</summary>
    public static TrackerOptions Reference { get; } = new()
    {
        TrackHighThresh = 0.5f,
        TrackLowThresh = 0.1f,
        NewTrackThresh = 0.6f,
        TrackBufferFrames = 30,
        MatchThresh = 0.8f,
        FuseScore = true,
        LegacyPixelIoU = true,
        CameraMotionCompensation = false,
        ObservationCentricReUpdate = false,
        Appearance = false,
    };

    /// <summary>The project default, tuned on the four MOT17 development sequences (docs/tracking.md): ByteTrack's
    /// thresholds with a 2 s buffer and low-score detections allowed to recover lost tracks.</summary>
    public static TrackerOptions Default { get; } = new()
    {
        TrackBufferSeconds = 2.0,
        LowScoreRecoversLost = true,
    };

    /// <summary>Frames a lost track is kept at <paramref name="frameRate"/>.</summary>
    public int MaxTimeLost(double frameRate) =>
        TrackBufferFrames is int frames ? (int)(frameRate / 30.0 * frames) : (int)Math.Round(frameRate * TrackBufferSeconds);

    /// <summary>Throws <see cref="EdgeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok)
            {
                throw new EdgeException($"Tracker option {name} = {value} is invalid: {rule}.");
            }
        }
        // track_high_thresh first: track_low_thresh's range depends on it, and a bad high value must be named itself.
        Check(TrackHighThresh >= 0 && TrackHighThresh <= 1, "track_high_thresh", TrackHighThresh, "must be in [0, 1]");
        Check(TrackLowThresh >= 0 && TrackLowThresh <= TrackHighThresh, "track_low_thresh", TrackLowThresh, "must be in [0, track_high_thresh]");
        Check(NewTrackThresh >= 0 && NewTrackThresh <= 1, "new_track_thresh", NewTrackThresh, "must be in [0, 1]");
        Check(TrackBufferSeconds >= 0, "track_buffer", TrackBufferSeconds, "must be >= 0 seconds");
        Check(TrackBufferFrames is null or >= 0, "track_buffer", TrackBufferFrames ?? 0, "must be >= 0 frames");
        Check(MatchThresh > 0 && MatchThresh <= 1, "match_thresh", MatchThresh, "must be in (0, 1]");
        Check(MomentumWeight >= 0 && MomentumWeight <= 1, "momentum weight (inertia)", MomentumWeight, "must be in [0, 1]");
        Check(MomentumDeltaT >= 1 && MomentumDeltaT <= ObservationMomentum.MaxDeltaT, "momentum delta_t", MomentumDeltaT, $"must be in [1, {ObservationMomentum.MaxDeltaT}]");
        Check(EmbeddingMomentum >= 0 && EmbeddingMomentum <= 1, "embedding momentum", EmbeddingMomentum, "must be in [0, 1]");
    }
}
