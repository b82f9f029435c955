using Edge.Geometry;
using Edge.Tracking;

namespace Edge.FollowMe;

/// <summary>Follow Me's target lock: Idle -> Locked -> Searching -> Locked (re-acquired) or Lost -> Idle, driven
/// by the tracker's output every frame.
/// <para>While the tracker carries the target, the lock follows its track id, but checks every frame that the box
/// stays inside a motion gate around its own constant-velocity prediction (an id that jumps to someone else is
/// dropped). When the track is no longer matched the lock searches: it coasts on its prediction and scores the
/// confirmed, matched tracks by motion gating (centre distance and size against the prediction, the gate growing
/// with time since loss), appearance (the averaged target vector against per-track vectors, when given) and
/// exclusion of anyone seen at the same time as the target or born during the search outside the gate (unless a re-id
/// match vouches for them: <see cref="FollowOptions.VouchSimilarity"/>); it re-acquires only a clear winner above a confidence
/// threshold (the tracker's own lost track coming back clearly visible and unambiguous is taken anywhere inside the
/// gate: <see cref="FollowOptions.TrustTrackReturn"/>), and gives up after <see cref="FollowOptions.SearchSeconds"/>.
/// Re-identification by gating plus appearance follows the lost-track recovery of DeepSORT (arXiv 1703.07402, section 2.2) and BoT-SORT
/// (arXiv 2206.14651); here it runs on top of the tracker so it also survives the tracker's own id switches.</para>
/// <para>No allocation per frame after warm-up.</para></summary>
public sealed class TargetLock
{
    private readonly FollowOptions _options;
    private readonly float _imageWidth;
    private readonly float _imageHeight;
    private readonly TargetMotionModel _model = new();
    private readonly TargetAppearance _appearance = new();
    private readonly HashSet<int> _coVisible = [];
    private readonly HashSet<int> _insideRegion = [];
    private readonly HashSet<int> _known = [];
    private readonly HashSet<int> _bornOutsideGate = [];
    private readonly HashSet<int> _disowned = [];
    private readonly Dictionary<int, bool> _seenSincePoint = [];
    private readonly List<int> _scratchIds = [];
    private float[] _similarities = [];
    private TargetSelection _pending;
    private bool _hasPending;
    private int _pendingFrames;
    private float _gateRadius;
    private bool _regionPrimed;
    private int _lockedId = -1;
    private int _trackId = -1;
    private float _confidence;
    private int _candidateId = -1;
    private int _streak;
    private int _mismatchStreak;
    private bool _appearanceConfirmed;

    public TargetLock(FollowOptions options, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (imageWidth <= 0 || imageHeight <= 0)
        {
            throw new EdgeException($"Follow Me needs a positive image size, got {imageWidth}x{imageHeight}.");
        }
        _options = options;
        _imageWidth = imageWidth;
        _imageHeight = imageHeight;
    }

    public FollowOptions Options => _options;

    public FollowState State { get; private set; }

    /// <summary>Frames spent in the current search (0 unless <see cref="FollowState.Searching"/> or just re-acquired).</summary>
    public int FramesSearching { get; private set; }

    /// <summary>True while a selection waits to be resolved (a point nobody is centred on yet, a region nobody has
    /// entered yet, a label nobody carries yet).</summary>
    public bool IsSelecting => _hasPending;

    /// <summary>Requests a target; resolved from the next update on. Replaces the current target once resolved.</summary>
    public void Select(in TargetSelection selection)
    {
        _pending = selection;
        _hasPending = true;
        _pendingFrames = 0;
        _seenSincePoint.Clear();
        _regionPrimed = false;
        _insideRegion.Clear();
    }

    /// <summary>Drops the target and any pending selection.</summary>
    public void Release()
    {
        _hasPending = false;
        GoIdle();
    }

    public FollowCommand Update(ReadOnlySpan<TrackView> tracks) => Update(tracks, FollowFrameInput.None);

    /// <summary>Advances to the next processed frame (<see cref="FollowFrameInput.FrameStep"/> source frames on) with
    /// the tracker's full output of that frame (including lost tracks).</summary>
    public FollowCommand Update(ReadOnlySpan<TrackView> tracks, in FollowFrameInput input)
    {
        if (input.AppearanceDimension > 0 && input.Appearance.Length < tracks.Length * input.AppearanceDimension)
        {
            throw new EdgeException($"Follow Me got {input.Appearance.Length} appearance floats for {tracks.Length} tracks of dimension {input.AppearanceDimension}.");
        }
        if (State == FollowState.Lost)
        {
            GoIdle();
        }
        _gateRadius = _options.GateRadiusFor(input.FrameStep);
        if (_hasPending)
        {
            int chosen = Resolve(tracks);
            if (chosen >= 0)
            {
                _hasPending = false;
                StartLock(tracks, chosen, input);
                return Report(tracks[chosen].Box, hasBox: true);
            }
            if (_pending.Kind == TargetSelectionKind.Point)
            {
                if (_options.HiddenPointFrames > 0)
                {
                    NoteTracksSincePoint(tracks);
                }
                if (_options.PointWaitFrames > 0 && (_pendingFrames += input.FrameStep) >= _options.PointWaitFrames + _options.HiddenPointFrames)
                {
                    // A point names whoever is centred there now; later, other people walk through it.
                    _hasPending = false;
                }
            }
        }
        if (State == FollowState.Idle)
        {
            return FollowCommand.Idle;
        }

        if (_options.UseCameraMotion && !input.CameraMotion.IsIdentity)
        {
            _model.Warp(input.CameraMotion);
        }
        _model.Predict(input.FrameStep);

        if (State == FollowState.Locked)
        {
            int index = IndexOf(tracks, _lockedId);
            bool matched = index >= 0 && tracks[index].IsMatched && IsPerson(tracks[index]);
            bool inGate = matched && GateDistance(tracks[index].Box, 0f) <= 1f;
            bool someoneElse = inGate && LooksLikeSomeoneElse(tracks, index, input);
            if (inGate && !someoneElse)
            {
                Follow(tracks, index, input);
                return Report(tracks[index].Box, hasBox: true);
            }
            if (matched)
            {
                // The id moved outside the gate, or a clear view of it no longer looks like the target: the tracker
                // switched identities; stop trusting it. Appearance said who it carries now, so neither motion alone
                // (a partly hidden view next to the prediction) nor a view just over the floor brings it back; a
                // vouching view may.
                if (someoneElse)
                {
                    _disowned.Add(_lockedId);
                }
                _lockedId = -1;
                _mismatchStreak = 0;
            }
            State = FollowState.Searching;
            FramesSearching = 0;
            _trackId = -1;
        }

        FramesSearching += input.FrameStep;
        NoteNewTracks(tracks, FramesSearching / _options.FrameRate);
        int best = FindCandidate(tracks, input, out float confidence);
        if (best >= 0 && tracks[best].Id != _lockedId)
        {
            // A different track must win several frames in a row (a passer-by crossing the prediction does not).
            _streak = tracks[best].Id == _candidateId ? _streak + 1 : 1;
            _candidateId = tracks[best].Id;
            if (_streak < _options.ConfirmFrames)
            {
                best = -1;
            }
        }
        else
        {
            _candidateId = -1;
            _streak = 0;
        }
        if (best >= 0)
        {
            _candidateId = -1;
            _streak = 0;
            _mismatchStreak = 0;
            State = FollowState.Locked;
            _lockedId = tracks[best].Id;
            Follow(tracks, best, input);
            _confidence = confidence;
            return Report(tracks[best].Box, hasBox: true);
        }
        if (FramesSearching > _options.SearchFrames)
        {
            GoIdle();
            State = FollowState.Lost;
            return FollowCommand.Idle with { State = FollowState.Lost };
        }
        _confidence = 1f - (float)FramesSearching / (_options.SearchFrames + 1);
        return Report(_model.Box, hasBox: _options.Coasting && FramesSearching <= _options.CoastFrames);
    }

    private void GoIdle()
    {
        State = FollowState.Idle;
        _lockedId = -1;
        _trackId = -1;
        FramesSearching = 0;
        _confidence = 0f;
        _coVisible.Clear();
        _known.Clear();
        _bornOutsideGate.Clear();
        _disowned.Clear();
        _appearance.Clear();
        _appearanceConfirmed = false;
        _mismatchStreak = 0;
    }

    private void StartLock(ReadOnlySpan<TrackView> tracks, int index, in FollowFrameInput input)
    {
        GoIdle();
        TrackView track = tracks[index];
        _model.Initialize(track.Box, track.VelocityX, track.VelocityY);
        State = FollowState.Locked;
        _lockedId = track.Id;
        Follow(tracks, index, input);
    }

    /// <summary>Takes the matched track as this frame's measurement of the target.</summary>
    private void Follow(ReadOnlySpan<TrackView> tracks, int index, in FollowFrameInput input)
    {
        TrackView target = tracks[index];
        NoteNewTracks(tracks, 0f);
        if (_model.FramesSinceMeasurement > 0)
        {
            _model.Correct(target.Box);
        }
        _trackId = target.Id;
        _confidence = State == FollowState.Locked && FramesSearching == 0 ? 1f : _confidence;
        if (FramesSearching > 0 && State == FollowState.Locked)
        {
            // Re-acquired in this frame; the next frame is an ordinary locked frame.
            FramesSearching = 0;
        }

        for (int i = 0; i < tracks.Length; i++)
        {
            if (i != index && tracks[i].IsMatched && tracks[i].State == TrackState.Confirmed && _options.ExcludeCoVisible)
            {
                _coVisible.Add(tracks[i].Id);
            }
        }
        if (_options.UseAppearance && input.AppearanceDimension > 0 && !IsOccluded(tracks, index))
        {
            Learn(input.Row(index), input.IsFresh(index), target.Score);
        }
        PruneIds(tracks);
    }

    /// <summary>Teaches the target's appearance from a clear view of the locked track.
    /// <para>Only views that look like the target teach it: after an unnoticed id switch the average would otherwise
    /// drift onto the other person within a second and confirm the switch. Deep OC-SORT's dynamic appearance
    /// (arXiv 2302.11813, section 3.3): a confident detection is a whole view; hidden people score low and their
    /// vectors mix in whoever hides them.</para>
    /// <para>A row repeated from the tracker's gallery (not <paramref name="fresh"/>) is no new view: it may start the
    /// appearance (it sums the track's earlier views) but neither teaches nor confirms it. Until a fresh view has
    /// confirmed it (looked alike), the appearance is provisional and fresh views are averaged in whatever they look
    /// like: the first view can be a poor one (a person stepping into the picture, vtest.avi, docs/follow-me.md),
    /// and judged against it the next views of the same person would fail and end the lock.</para></summary>
    private void Learn(ReadOnlySpan<float> row, bool fresh, float score)
    {
        float trust = Math.Clamp((score - _options.AppearanceMinScore) / (1f - _options.AppearanceMinScore), 0f, 1f);
        if (trust <= 0f || (!fresh && _appearance.HasValue))
        {
            return;
        }
        float similarity = _appearance.Similarity(row);
        if (float.IsNaN(similarity))
        {
            _appearance.Update(row, 1f);
        }
        else if (similarity >= _options.MinAppearanceSimilarity)
        {
            _appearance.Update(row, _options.AppearanceUpdateRate * trust);
            _appearanceConfirmed = true;
        }
        else if (!_appearanceConfirmed)
        {
            _appearance.Update(row, 1f / (_appearance.Views + 1));
        }
    }

    /// <summary>True when another matched box covers more than a fifth of this one: its appearance vector then mixes
    /// in the other person.</summary>
    private static bool IsOccluded(ReadOnlySpan<TrackView> tracks, int index)
    {
        BoxF box = tracks[index].Box;
        for (int i = 0; i < tracks.Length; i++)
        {
            if (i != index && tracks[i].IsMatched && box.IntersectionArea(tracks[i].Box) > 0.2f * box.Area)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Remembers every id seen since the lock started; one first seen while searching outside the gate was
    /// born away from where the target vanished (<see cref="FollowOptions.GateAtBirth"/>).</summary>
    private void NoteNewTracks(ReadOnlySpan<TrackView> tracks, float secondsSinceLoss)
    {
        foreach (TrackView track in tracks)
        {
            if (_known.Add(track.Id) && State == FollowState.Searching && GateDistance(track.Box, secondsSinceLoss) > 1f)
            {
                _bornOutsideGate.Add(track.Id);
            }
        }
    }

    /// <summary>Remembers every id seen since the point was given, and whether it was born centred on the point
    /// (<see cref="FollowOptions.HiddenPointSeconds"/>).</summary>
    private void NoteTracksSincePoint(ReadOnlySpan<TrackView> tracks)
    {
        foreach (TrackView track in tracks)
        {
            if (!_seenSincePoint.ContainsKey(track.Id))
            {
                _seenSincePoint[track.Id] = _pendingFrames > 0 && CentreOffset(track.Box, _pending.X, _pending.Y) <= _options.PointTolerance;
            }
        }
    }

    /// <summary>The locked track, seen clearly and freshly, has looked unlike the target for
    /// <see cref="FollowOptions.AppearanceSwitchFrames"/> frames in a row (the tracker moved the id onto someone
    /// else inside the motion gate: the crossings and side-by-side walkers motion cannot separate).</summary>
    private bool LooksLikeSomeoneElse(ReadOnlySpan<TrackView> tracks, int index, in FollowFrameInput input)
    {
        if (!_options.UseAppearance || _options.AppearanceSwitchFrames <= 0 || !_appearanceConfirmed || input.AppearanceDimension == 0
            || !input.IsFresh(index) || IsOccluded(tracks, index))
        {
            return false;
        }
        float similarity = _appearance.Similarity(input.Row(index));
        if (float.IsNaN(similarity))
        {
            return false;
        }
        _mismatchStreak = similarity < _options.MinAppearanceSimilarity ? _mismatchStreak + 1 : 0;
        return _mismatchStreak >= _options.AppearanceSwitchFrames;
    }

    /// <summary>Ids only grow, so ids no longer in the tracker's output never come back: forget them.</summary>
    private void PruneIds(ReadOnlySpan<TrackView> tracks)
    {
        Prune(_coVisible, tracks);
        Prune(_known, tracks);
        Prune(_bornOutsideGate, tracks);
        Prune(_disowned, tracks);
    }

    private void Prune(HashSet<int> ids, ReadOnlySpan<TrackView> tracks)
    {
        if (ids.Count <= 2 * tracks.Length + 64)
        {
            return;
        }
        _scratchIds.Clear();
        foreach (int id in ids)
        {
            if (IndexOf(tracks, id) < 0)
            {
                _scratchIds.Add(id);
            }
        }
        foreach (int id in _scratchIds)
        {
            ids.Remove(id);
        }
    }

    /// <summary>Best re-acquisition candidate of this searching frame, or -1.</summary>
    private int FindCandidate(ReadOnlySpan<TrackView> tracks, in FollowFrameInput input, out float confidence)
    {
        float seconds = FramesSearching / _options.FrameRate;
        int best = -1, runnerUp = -1;
        float bestScore = float.NegativeInfinity, runnerUpScore = float.NegativeInfinity;
        float bestDistance = float.PositiveInfinity;
        // Appearance vouches only for a person it singles out: when two people in view both look like the target
        // (a look-alike where the target vanished while the target reappears elsewhere), it cannot say which one is
        // the target, and the motion rules decide.
        ScratchArray.EnsureLength(ref _similarities, tracks.Length);
        int vouching = 0;
        for (int i = 0; i < tracks.Length; i++)
        {
            // A partly hidden box's vector mixes in whoever hides it: only clear views are compared.
            _similarities[i] = IsCandidatePerson(tracks[i]) && _options.UseAppearance && input.AppearanceDimension > 0 && !IsOccluded(tracks, i)
                ? _appearance.Similarity(input.Row(i))
                : float.NaN;
            vouching += IsVouchedFor(_similarities[i], input.IsFresh(i)) ? 1 : 0;
        }
        for (int i = 0; i < tracks.Length; i++)
        {
            TrackView track = tracks[i];
            if (!IsCandidatePerson(track))
            {
                continue;
            }
            bool sameId = track.Id == _lockedId;
            if (!sameId && _options.ExcludeCoVisible && _coVisible.Contains(track.Id))
            {
                continue;
            }
            float similarity = _similarities[i];
            bool vouched = vouching == 1 && IsVouchedFor(similarity, input.IsFresh(i));
            bool refusedUnlessVouched = (_options.MotionGating && _options.GateAtBirth && _bornOutsideGate.Contains(track.Id)) || _disowned.Contains(track.Id);
            if (!sameId && !vouched && refusedUnlessVouched)
            {
                continue;
            }
            float gate = GateDistance(track.Box, seconds, _options.SearchAlongPath || vouched);
            if (_options.VelocityGate > 0f)
            {
                float dvx = track.VelocityX - _model.VelocityX, dvy = track.VelocityY - _model.VelocityY;
                float perSecond = MathF.Sqrt(dvx * dvx + dvy * dvy) * _options.FrameRate / MathF.Max(_model.Box.Height, 1f);
                gate = MathF.Max(gate, perSecond / _options.VelocityGate);
            }
            float motion;
            if (_options.MotionGating)
            {
                if (gate > 1f)
                {
                    continue;
                }
                // Gaussian in the gate-normalised distance, sigma = half the gate (0.135 at the gate's edge). The
                // tracker re-matching its own lost track gets no bonus (ids switch exactly in these moments) unless
                // it comes back clearly visible and unambiguous: then anywhere inside the gate, as a person who
                // slowed down or stopped while hidden returns off the constant-velocity prediction.
                motion = MathF.Exp(-2f * gate * gate);
                if (sameId && IsTrustedReturn(tracks, i))
                {
                    motion = MathF.Max(motion, _options.ReacquireThreshold);
                }
            }
            else
            {
                motion = 1f;
            }

            float score = motion;
            if (!float.IsNaN(similarity))
            {
                if (similarity < _options.MinAppearanceSimilarity)
                {
                    continue;
                }
                score = (1f - _options.AppearanceWeight) * motion + _options.AppearanceWeight * similarity;
            }

            // Without gating the lock takes the nearest person (the naive policy the gate is measured against).
            float distance = _options.MotionGating ? -score : gate;
            if (distance < bestDistance)
            {
                (runnerUp, runnerUpScore) = (best, bestScore);
                (best, bestScore, bestDistance) = (i, score, distance);
            }
            else if (score > runnerUpScore)
            {
                (runnerUp, runnerUpScore) = (i, score);
            }
        }
        confidence = best >= 0 ? bestScore : 0f;
        if (best < 0 || !_options.MotionGating)
        {
            return best;
        }
        if (bestScore < _options.ReacquireThreshold)
        {
            return -1;
        }
        bool clearWinner = runnerUp < 0 || runnerUpScore < _options.AmbiguityRatio * bestScore;
        return clearWinner ? best : -1;
    }

    /// <summary>A fresh, clear view that looks like the confirmed target at least <see cref="FollowOptions.VouchSimilarity"/>:
    /// appearance, not motion, says who the candidate is.</summary>
    private bool IsVouchedFor(float similarity, bool fresh) =>
        _options.VouchSimilarity > 0f && _appearanceConfirmed && fresh && similarity >= _options.VouchSimilarity;

    private float GateDistance(in BoxF box, float secondsSinceLoss) => GateDistance(box, secondsSinceLoss, _options.SearchAlongPath);

    /// <summary>Distance of a box from the prediction in units of the gate (&lt;= 1 inside): the larger of the
    /// centre distance over the gate radius and the log size ratio over the size gate. <paramref name="alongPath"/>
    /// measures the centre against the path since the target was last seen instead.</summary>
    private float GateDistance(in BoxF box, float secondsSinceLoss, bool alongPath)
    {
        BoxF predicted = _model.Box;
        float height = MathF.Max(predicted.Height, 1f);
        float dx = box.CenterX - predicted.CenterX, dy = box.CenterY - predicted.CenterY;
        if (alongPath && secondsSinceLoss > 0f)
        {
            // While searching, the target may have slowed, stopped or turned back: measure the distance to the
            // nearest point of the path from where it was last seen to where constant velocity puts it now.
            (float lx, float ly) = _model.LastSeenCenter;
            float px = predicted.CenterX - lx, py = predicted.CenterY - ly;
            float length2 = px * px + py * py;
            float t = length2 > 1e-6f ? Math.Clamp(((box.CenterX - lx) * px + (box.CenterY - ly) * py) / length2, 0f, 1f) : 0f;
            dx = box.CenterX - (lx + t * px);
            dy = box.CenterY - (ly + t * py);
        }
        float radius = _gateRadius + _options.GateGrowthPerSecond * secondsSinceLoss;
        float centre = MathF.Sqrt(dx * dx + dy * dy) / height / radius;
        float size = MathF.Abs(MathF.Log(MathF.Max(box.Height, 1f) / height)) / _options.SizeGate;
        return MathF.Max(centre, size);
    }

    /// <summary>The tracker's own lost target track is back on a confident detection that no other tracked box
    /// overlaps (<see cref="FollowOptions.TrustTrackReturn"/>).</summary>
    private bool IsTrustedReturn(ReadOnlySpan<TrackView> tracks, int index)
    {
        TrackView track = tracks[index];
        if (!_options.TrustTrackReturn || track.Score < _options.ReturnMinScore)
        {
            return false;
        }
        for (int k = 0; k < tracks.Length; k++)
        {
            if (k != index && tracks[k].IsMatched && tracks[k].Box.IoU(track.Box) >= _options.ReturnMaxOverlap)
            {
                return false;
            }
        }
        return true;
    }

    private int Resolve(ReadOnlySpan<TrackView> tracks)
    {
        TargetSelection s = _pending;
        int chosen = -1;
        float bestValue = float.PositiveInfinity;
        bool containing = false;
        for (int i = 0; i < tracks.Length; i++)
        {
            TrackView t = tracks[i];
            if (!t.IsMatched || !IsPerson(t) || (t.State != TrackState.Confirmed && s.Kind != TargetSelectionKind.TrackId))
            {
                continue;
            }
            switch (s.Kind)
            {
                case TargetSelectionKind.TrackId:
                    if (t.Id == s.TrackId)
                    {
                        return i;
                    }
                    break;
                case TargetSelectionKind.Point when _options.HiddenPointFrames > 0 && _options.PointWaitFrames > 0 && _pendingFrames >= _options.PointWaitFrames:
                    // Nobody was centred on the point: the person named is hidden there. Only someone stepping out
                    // from behind (a track born at the point) can be them, not a person who was there or walked in.
                    float offset = CentreOffset(t.Box, s.X, s.Y);
                    if (_seenSincePoint.TryGetValue(t.Id, out bool bornAtPoint) && bornAtPoint && offset < bestValue)
                    {
                        (chosen, bestValue) = (i, offset);
                    }
                    break;
                case TargetSelectionKind.Point:
                    // The box whose centre is nearest the point in units of its own height, among those centred
                    // within the tolerance: a point off the centre of the only box around it usually names someone
                    // hidden behind that person, and following the person in front is the worst outcome. With no
                    // tolerance, boxes containing the point win, then the nearest centre.
                    bool contains = t.Box.Contains(s.X, s.Y);
                    float value = contains ? CentreOffset(t.Box, s.X, s.Y) : Distance2(t.Box, s.X, s.Y);
                    if (_options.PointTolerance > 0f && CentreOffset(t.Box, s.X, s.Y) > _options.PointTolerance)
                    {
                        break;
                    }
                    if ((contains && !containing) || (contains == containing && value < bestValue))
                    {
                        (chosen, bestValue, containing) = (i, value, contains);
                    }
                    break;
                case TargetSelectionKind.Largest:
                    if (-t.Box.Area < bestValue)
                    {
                        (chosen, bestValue) = (i, -t.Box.Area);
                    }
                    break;
                case TargetSelectionKind.NearestCenter:
                    float d = Distance2(t.Box, _imageWidth * 0.5f, _imageHeight * 0.5f);
                    if (d < bestValue)
                    {
                        (chosen, bestValue) = (i, d);
                    }
                    break;
                case TargetSelectionKind.Label:
                    if (t.Label is not null && string.Equals(t.Label, s.Label, StringComparison.OrdinalIgnoreCase) && -t.LabelConfidence < bestValue)
                    {
                        (chosen, bestValue) = (i, -t.LabelConfidence);
                    }
                    break;
                case TargetSelectionKind.FirstEnteringRegion:
                    if (_regionPrimed && s.Region.Contains(t.Box.CenterX, t.Box.CenterY) && !_insideRegion.Contains(t.Id) && chosen < 0)
                    {
                        chosen = i;
                    }
                    break;
            }
        }
        if (s.Kind == TargetSelectionKind.FirstEnteringRegion)
        {
            // Who is inside now does not count as entering later.
            _insideRegion.Clear();
            foreach (TrackView t in tracks)
            {
                if (t.IsMatched && s.Region.Contains(t.Box.CenterX, t.Box.CenterY))
                {
                    _insideRegion.Add(t.Id);
                }
            }
            _regionPrimed = true;
        }
        return chosen;
    }

    private FollowCommand Report(in BoxF box, bool hasBox)
    {
        if (!hasBox)
        {
            return new FollowCommand(State, _trackId, default, false, 0f, 0f, 0f, 0f, 0f, _confidence);
        }
        float halfW = _imageWidth * 0.5f, halfH = _imageHeight * 0.5f;
        return new FollowCommand(
            State,
            _trackId,
            box,
            true,
            Math.Clamp((box.CenterX - halfW) / halfW, -1f, 1f),
            Math.Clamp((box.CenterY - halfH) / halfH, -1f, 1f),
            box.Height / _imageHeight,
            _model.VelocityX / halfW * _options.FrameRate,
            _model.VelocityY / halfH * _options.FrameRate,
            _confidence);
    }

    /// <summary>A person the search may take: a confirmed track matched in this frame.</summary>
    private bool IsCandidatePerson(in TrackView track) => track.IsMatched && track.State == TrackState.Confirmed && IsPerson(track);

    private bool IsPerson(in TrackView track) => _options.PersonClassId < 0 || track.ClassId == _options.PersonClassId;

    private static int IndexOf(ReadOnlySpan<TrackView> tracks, int id)
    {
        if (id < 0)
        {
            return -1;
        }
        for (int i = 0; i < tracks.Length; i++)
        {
            if (tracks[i].Id == id)
            {
                return i;
            }
        }
        return -1;
    }

    private static float CentreOffset(in BoxF box, float x, float y) => MathF.Sqrt(Distance2(box, x, y)) / MathF.Max(box.Height, 1f);

    private static float Distance2(in BoxF box, float x, float y)
    {
        float dx = box.CenterX - x, dy = box.CenterY - y;
        return dx * dx + dy * dy;
    }
}
