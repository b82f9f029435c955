using Edge.Assignment;
using Edge.Geometry;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Tracking;

/// <summary>
/// ByteTrack (Zhang et al., arXiv 2110.06864) following the reference <c>yolox/tracker/byte_tracker.py</c> step by
/// step: high-score detections are associated first (IoU, fused with the score), low-score detections then
/// rescue the still-unmatched tracked tracks (IoU, limit 0.5), unconfirmed tracks get the remaining high
/// detections (limit 0.7), and only high detections above <see cref="TrackerOptions.NewTrackThresh"/> start
/// tracks. Optional extras: camera-motion compensation and appearance fusion (BoT-SORT, arXiv 2206.14651) and
/// OC-SORT's observation-centric re-update and momentum (arXiv 2203.14360).
/// </summary>
/// <remarks>Tracks, lists, cost matrices and the output buffer are pooled; after the pool has grown to the
/// scene size an update allocates nothing. Ids are per instance and start at 1. Not thread-safe.</remarks>
public sealed class ByteTracker : IMultiObjectTracker
{
    private readonly TrackerOptions _options;
    private readonly int _maxTimeLost;
    private readonly LinearAssignment _assignment = new();
    private readonly Stack<ByteTrackRecord> _free = new();

    private readonly List<ByteTrackRecord> _tracked = new(64);
    private readonly List<ByteTrackRecord> _lost = new(64);
    private readonly List<ByteTrackRecord> _pool = new(128);
    private readonly List<ByteTrackRecord> _unconfirmed = new(64);
    private readonly List<ByteTrackRecord> _remainingTracked = new(64);
    private readonly List<ByteTrackRecord> _newTracks = new(64);
    private readonly List<ByteTrackRecord> _refound = new(64);
    private readonly List<ByteTrackRecord> _newlyLost = new(64);
    private readonly List<ByteTrackRecord> _scratch = new(128);

    private int[] _high = new int[64];
    private int[] _low = new int[64];
    private int[] _remainingHigh = new int[64];
    private float[] _cost = new float[64 * 64];
    private int[] _rowToCol = new int[64];
    private int[] _colToRow = new int[64];
    private TrackView[] _views = new TrackView[128];

    private int _frame;
    private int _updates;
    private int _nextId;

    /// <param name="options">Thresholds and switches (<see cref="TrackerOptions.Default"/> when null).</param>
    /// <param name="frameRate">Source frame rate, converts the track buffer to frames.</param>
    public ByteTracker(TrackerOptions? options = null, double frameRate = 30)
    {
        _options = options ?? TrackerOptions.Default;
        _options.Validate();
        if (!(frameRate > 0))
        {
            throw new EdgeException($"Tracker frame rate must be positive, got {frameRate}.");
        }
        _maxTimeLost = _options.MaxTimeLost(frameRate);
    }

    public TrackerOptions Options => _options;

    /// <summary>Frames a lost track is kept before removal.</summary>
    public int MaxTimeLost => _maxTimeLost;

    /// <summary>Source frames advanced since construction or <see cref="Reset"/> (the sum of the frame steps).</summary>
    public int FrameCount => _frame;

    public void Reset()
    {
        foreach (var t in _tracked)
        {
            _free.Push(t);
        }
        foreach (var t in _lost)
        {
            _free.Push(t);
        }
        _tracked.Clear();
        _lost.Clear();
        _frame = 0;
        _updates = 0;
        _nextId = 0;
    }

    public ReadOnlySpan<TrackView> Update(ReadOnlySpan<DetectionRecord> detections, in TrackerFrameContext context)
    {
        int step = Math.Max(1, context.FrameStep);
        _frame += step;
        _updates++;
        var o = _options;
        int dim = context.EmbeddingDimension;
        bool appearance = o.Appearance && dim > 0 && context.Embeddings.Length >= detections.Length * dim;
        ReadOnlySpan<float> embeddings = appearance ? context.Embeddings.Span : default;

        // Split detections (byte_tracker.py: score > track_thresh first; track_low < score < track_thresh second).
        ScratchArray.EnsureLength(ref _high, detections.Length);
        ScratchArray.EnsureLength(ref _low, detections.Length);
        ScratchArray.EnsureLength(ref _remainingHigh, detections.Length);
        int highCount = 0, lowCount = 0;
        for (int i = 0; i < detections.Length; i++)
        {
            float s = detections[i].Score;
            if (s > o.TrackHighThresh)
            {
                _high[highCount++] = i;
            }
            else if (s > o.TrackLowThresh && s < o.TrackHighThresh)
            {
                _low[lowCount++] = i;
            }
        }
        foreach (var t in _tracked)
        {
            t.DetectionIndex = -1;
        }
        foreach (var t in _lost)
        {
            t.DetectionIndex = -1;
        }

        _unconfirmed.Clear();
        _pool.Clear();
        foreach (var t in _tracked)
        {
            (t.IsActivated ? _pool : _unconfirmed).Add(t);
        }
        _pool.AddRange(_lost);

        // Predict activated and lost tracks; lost tracks have their height velocity zeroed (STrack.multi_predict).
        // Over dropped frames, one prediction per source frame (a track lost for longer is removed below anyway).
        int predictions = Math.Min(step, _maxTimeLost + 1);
        foreach (var t in _pool)
        {
            if (!t.IsTracked)
            {
                t.Kalman.Mean[7] = 0;
            }
            for (int k = 0; k < predictions; k++)
            {
                KalmanBoxFilter.Predict(ref t.Kalman);
            }
        }
        if (o.CameraMotionCompensation && !context.CameraMotion.IsIdentity)
        {
            foreach (var t in _pool)
            {
                KalmanBoxFilter.ApplyCameraMotion(ref t.Kalman, context.CameraMotion);
            }
            foreach (var t in _unconfirmed)
            {
                KalmanBoxFilter.ApplyCameraMotion(ref t.Kalman, context.CameraMotion);
            }
        }

        _newTracks.Clear();
        _refound.Clear();
        _newlyLost.Clear();

        // First association: tracked + lost against high detections.
        ReadOnlySpan<int> high = _high.AsSpan(0, highCount);
        FillCost(_pool, detections, high, o.FuseScore, appearance, embeddings, dim);
        if (o.ObservationCentricMomentum)
        {
            AddMomentum(_pool, detections, high, o.MatchThresh);
        }
        _assignment.Solve(_cost, _pool.Count, highCount, o.MatchThresh, _rowToCol, _colToRow);
        for (int i = 0; i < _pool.Count; i++)
        {
            int j = _rowToCol[i];
            if (j >= 0)
            {
                Match(_pool[i], detections, high[j], embeddings, dim);
            }
        }
        int remainingHighCount = 0;
        for (int j = 0; j < highCount; j++)
        {
            if (_colToRow[j] < 0)
            {
                _remainingHigh[remainingHighCount++] = high[j];
            }
        }

        // Second association: still-unmatched tracked tracks (and lost ones with LowScoreRecoversLost) against low
        // detections, plain IoU.
        _remainingTracked.Clear();
        for (int i = 0; i < _pool.Count; i++)
        {
            if (_rowToCol[i] < 0 && (_pool[i].IsTracked || o.LowScoreRecoversLost))
            {
                _remainingTracked.Add(_pool[i]);
            }
        }
        ReadOnlySpan<int> low = _low.AsSpan(0, lowCount);
        FillCost(_remainingTracked, detections, low, fuseScore: false, appearance: false, default, 0);
        _assignment.Solve(_cost, _remainingTracked.Count, lowCount, o.SecondMatchThresh, _rowToCol, _colToRow);
        for (int i = 0; i < _remainingTracked.Count; i++)
        {
            var t = _remainingTracked[i];
            int j = _rowToCol[i];
            if (j >= 0)
            {
                Match(t, detections, low[j], embeddings, dim);
            }
            else if (t.IsTracked)
            {
                t.IsTracked = false;
                _newlyLost.Add(t);
            }
        }

        // Unconfirmed tracks against the high detections left over.
        ReadOnlySpan<int> remainingHigh = _remainingHigh.AsSpan(0, remainingHighCount);
        FillCost(_unconfirmed, detections, remainingHigh, o.FuseScore, appearance, embeddings, dim);
        _assignment.Solve(_cost, _unconfirmed.Count, remainingHighCount, o.UnconfirmedMatchThresh, _rowToCol, _colToRow);
        for (int i = 0; i < _unconfirmed.Count; i++)
        {
            var t = _unconfirmed[i];
            int j = _rowToCol[i];
            if (j >= 0)
            {
                Match(t, detections, remainingHigh[j], embeddings, dim);
            }
            else
            {
                t.Flag = true; // removed below
            }
        }

        // New tracks from confident unmatched high detections.
        for (int j = 0; j < remainingHighCount; j++)
        {
            if (_colToRow[j] >= 0)
            {
                continue;
            }
            int d = remainingHigh[j];
            if (detections[d].Score < o.NewTrackThresh)
            {
                continue;
            }
            _newTracks.Add(StartTrack(detections, d, embeddings, dim));
        }

        UpdateLists();
        return WriteViews();
    }

    private void Match(ByteTrackRecord t, ReadOnlySpan<DetectionRecord> detections, int d, ReadOnlySpan<float> embeddings, int dim)
    {
        var det = detections[d];
        if (!t.IsTracked)
        {
            // Re-activation of a lost track (STrack.re_activate).
            if (_options.ObservationCentricReUpdate)
            {
                ReplayVirtualTrajectory(t, det.Box);
            }
            t.IsTracked = true;
            t.IsActivated = true;
            _refound.Add(t);
        }
        else
        {
            t.IsActivated = true;
        }
        KalmanBoxFilter.Update(ref t.Kalman, det.Box);
        t.Momentum.Record(_frame, det.Box, _options.MomentumDeltaT);
        t.LastUpdateKalman = t.Kalman;
        t.LastObservation = det.Box;
        t.LastUpdateFrame = _frame;
        t.Score = det.Score;
        t.ClassId = det.ClassId;
        t.DetectionIndex = d;
        if (dim > 0 && !embeddings.IsEmpty)
        {
            t.SetEmbedding(embeddings.Slice(d * dim, dim), _options.EmbeddingMomentum);
        }
    }

    /// <summary>OC-SORT ORU (arXiv 2203.14360 section 3.2): a filter coasting through an occlusion accumulates
    /// error; restart from the state at the last observation and feed it boxes interpolated linearly towards the
    /// new observation, one per missed frame, so the velocity reflects the real displacement. Leaves the state
    /// predicted to the current frame; the caller applies the real update.</summary>
    private void ReplayVirtualTrajectory(ByteTrackRecord t, in BoxF observed)
    {
        int gap = _frame - t.LastUpdateFrame;
        if (gap < 2)
        {
            return;
        }
        var last = t.LastObservation;
        t.Kalman = t.LastUpdateKalman;
        for (int k = 1; k < gap; k++)
        {
            KalmanBoxFilter.Predict(ref t.Kalman);
            float f = k / (float)gap;
            var box = BoxF.FromCenter(
                last.CenterX + ((observed.CenterX - last.CenterX) * f),
                last.CenterY + ((observed.CenterY - last.CenterY) * f),
                last.Width + ((observed.Width - last.Width) * f),
                last.Height + ((observed.Height - last.Height) * f));
            KalmanBoxFilter.Update(ref t.Kalman, box);
        }
        KalmanBoxFilter.Predict(ref t.Kalman);
    }

    private ByteTrackRecord StartTrack(ReadOnlySpan<DetectionRecord> detections, int d, ReadOnlySpan<float> embeddings, int dim)
    {
        var det = detections[d];
        var t = _free.Count > 0 ? _free.Pop() : new ByteTrackRecord();
        t.Id = ++_nextId;
        KalmanBoxFilter.Initiate(ref t.Kalman, det.Box);
        t.Momentum.Reset();
        t.Momentum.Record(_frame, det.Box, _options.MomentumDeltaT);
        t.LastUpdateKalman = t.Kalman;
        t.LastObservation = det.Box;
        t.IsTracked = true;
        t.IsActivated = _updates == 1; // ByteTrack confirms first-frame tracks at once
        t.LastUpdateFrame = _frame;
        t.StartFrame = _frame;
        t.Score = det.Score;
        t.ClassId = det.ClassId;
        t.DetectionIndex = d;
        t.Flag = false;
        t.Expired = false;
        t.HasEmbedding = false;
        if (dim > 0 && !embeddings.IsEmpty)
        {
            t.SetEmbedding(embeddings.Slice(d * dim, dim), _options.EmbeddingMomentum);
        }
        return t;
    }

    /// <summary>The list bookkeeping at the end of byte_tracker.py's update, in the same order.</summary>
    private void UpdateLists()
    {
        // tracked = [still tracked] + new tracks + refound lost tracks; unmatched unconfirmed tracks are removed.
        _scratch.Clear();
        foreach (var t in _tracked)
        {
            if (t.Flag)
            {
                t.Flag = false;
                _free.Push(t);
            }
            else if (t.IsTracked)
            {
                _scratch.Add(t);
            }
        }
        _scratch.AddRange(_newTracks);
        _scratch.AddRange(_refound);
        _tracked.Clear();
        _tracked.AddRange(_scratch);

        // lost = [old lost not refound and not expired] + newly lost. The reference marks a lost track removed when
        // frame − last update > max_time_lost but filters its lost list with the removed list of the previous
        // frames, so an expired track stays matchable one frame longer, and a track revived in that frame is dropped
        // as soon as it is lost again. Both quirks are reproduced (Expired flag).
        _scratch.Clear();
        foreach (var t in _lost)
        {
            if (t.IsTracked)
            {
                continue;
            }
            bool expiredBefore = t.Expired;
            if (_frame - t.LastUpdateFrame > _maxTimeLost)
            {
                t.Expired = true;
            }
            if (expiredBefore)
            {
                _free.Push(t);
                continue;
            }
            _scratch.Add(t);
        }
        foreach (var t in _newlyLost)
        {
            if (t.Expired)
            {
                _free.Push(t);
            }
            else
            {
                _scratch.Add(t);
            }
        }
        _lost.Clear();
        _lost.AddRange(_scratch);

        RemoveDuplicates();
    }

    /// <summary>remove_duplicate_stracks: a tracked and a lost track overlapping with IoU above the limit describe
    /// the same object; the one tracked for fewer frames is dropped.</summary>
    private void RemoveDuplicates()
    {
        if (_tracked.Count == 0 || _lost.Count == 0)
        {
            return;
        }
        bool legacy = _options.LegacyPixelIoU;
        float minIoU = _options.DuplicateIoU;
        foreach (var t in _tracked)
        {
            t.Flag = false;
        }
        foreach (var t in _lost)
        {
            t.Flag = false;
        }
        bool any = false;
        foreach (var a in _tracked)
        {
            var boxA = a.Kalman.Box;
            foreach (var b in _lost)
            {
                // iou distance < 0.15 ⇔ IoU > 0.85, evaluated in the reference's float64 as 1 − IoU.
                if (1.0 - BoxOverlap.IoU(boxA, b.Kalman.Box, legacy) < 1.0 - minIoU)
                {
                    int timeA = a.LastUpdateFrame - a.StartFrame;
                    int timeB = b.LastUpdateFrame - b.StartFrame;
                    (timeA > timeB ? b : a).Flag = true;
                    any = true;
                }
            }
        }
        if (!any)
        {
            return;
        }
        Compact(_tracked);
        Compact(_lost);
    }

    private void Compact(List<ByteTrackRecord> list)
    {
        int w = 0;
        for (int r = 0; r < list.Count; r++)
        {
            var t = list[r];
            if (t.Flag)
            {
                t.Flag = false;
                _free.Push(t);
            }
            else
            {
                list[w++] = t;
            }
        }
        list.RemoveRange(w, list.Count - w);
    }

    /// <summary>Fills <see cref="_cost"/> with IoU distance (1 − IoU) between tracks and a subset of detections,
    /// optionally fused with the detection score (ByteTrack <c>fuse_score</c>: 1 − IoU·score) and with appearance
    /// (BoT-SORT: min(iou cost, cosine/2) where the boxes are close and the appearance is similar).</summary>
    private void FillCost(List<ByteTrackRecord> tracks, ReadOnlySpan<DetectionRecord> detections, ReadOnlySpan<int> subset,
        bool fuseScore, bool appearance, ReadOnlySpan<float> embeddings, int dim)
    {
        int rows = tracks.Count, cols = subset.Length;
        ScratchArray.EnsureLength(ref _cost, rows * cols);
        ScratchArray.EnsureLength(ref _rowToCol, rows);
        ScratchArray.EnsureLength(ref _colToRow, cols);
        bool legacy = _options.LegacyPixelIoU;
        for (int i = 0; i < rows; i++)
        {
            var t = tracks[i];
            var box = t.Kalman.Box;
            bool useAppearance = appearance && t.HasEmbedding && t.Embedding.Length == dim;
            for (int j = 0; j < cols; j++)
            {
                var det = detections[subset[j]];
                float iou = BoxOverlap.IoU(box, det.Box, legacy);
                float iouDist = 1f - iou;
                float c = fuseScore ? 1f - (iou * det.Score) : iouDist;
                if (useAppearance && iouDist <= _options.ProximityThresh)
                {
                    var e = embeddings.Slice(subset[j] * dim, dim);
                    float dot = 0;
                    for (int k = 0; k < dim; k++)
                    {
                        dot += t.Embedding[k] * e[k];
                    }
                    float embDist = MathF.Max(0f, 1f - dot) / 2f;
                    if (embDist <= _options.AppearanceThresh && embDist < c)
                    {
                        c = embDist;
                    }
                }
                _cost[(i * cols) + j] = c;
            }
        }
    }

    /// <summary>OC-SORT OCM on the first-association costs in <see cref="_cost"/>: admitted pairs (cost below
    /// <paramref name="limit"/>) are lowered by the direction-consistency term, and kept admitted (OC-SORT gates by IoU
    /// alone), so momentum re-ranks candidates but never admits or rejects one.</summary>
    private void AddMomentum(List<ByteTrackRecord> tracks, ReadOnlySpan<DetectionRecord> detections, ReadOnlySpan<int> subset, float limit)
    {
        int cols = subset.Length;
        float belowLimit = MathF.BitDecrement(limit);
        for (int i = 0; i < tracks.Count; i++)
        {
            var t = tracks[i];
            if (t.Momentum.Previous(_frame, _options.MomentumDeltaT) is not BoxF previous)
            {
                continue;
            }
            for (int j = 0; j < cols; j++)
            {
                ref float c = ref _cost[(i * cols) + j];
                if (c < limit)
                {
                    var det = detections[subset[j]];
                    c = MathF.Min(c - t.Momentum.CostReduction(previous, det.Box, det.Score, _options.MomentumWeight), belowLimit);
                }
            }
        }
    }

    private ReadOnlySpan<TrackView> WriteViews()
    {
        int n = _tracked.Count + _lost.Count;
        ScratchArray.EnsureLength(ref _views, n);
        int k = 0;
        foreach (var t in _tracked)
        {
            _views[k++] = View(t);
        }
        foreach (var t in _lost)
        {
            _views[k++] = View(t);
        }
        return _views.AsSpan(0, k);
    }

    private TrackView View(ByteTrackRecord t) => new(
        t.Id,
        t.Kalman.Box,
        t.Score,
        t.ClassId,
        t.State,
        _frame - t.LastUpdateFrame,
        t.DetectionIndex,
        (float)t.Kalman.Mean[4],
        (float)t.Kalman.Mean[5]);
}
