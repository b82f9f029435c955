using Edge.Assignment;
using Edge.Geometry;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Tracking;

/// <summary>
/// SORT (Bewley et al., arXiv 1602.00763) exactly as <c>abewley/sort</c>'s <c>Sort.update</c>: every detection
/// is used (no score threshold), tracks and detections are matched by a maximum-IoU assignment whose pairs
/// below <paramref name="iouThreshold"/> are dropped, tracks die after more than <paramref name="maxAge"/>
/// unmatched frames, and a track is reported (<see cref="TrackState.Confirmed"/>, FramesSinceUpdate 0) once it
/// has been matched <paramref name="minHits"/> frames in a row (or during the first minHits frames).
/// Kept as the baseline the ByteTrack family is compared with.
/// </summary>
public sealed class SortTracker(int maxAge = 1, int minHits = 3, float iouThreshold = 0.3f) : IMultiObjectTracker
{
    private sealed class Record
    {
        public readonly SortBoxFilter Filter = new();
        public int Id;
        public int TimeSinceUpdate;
        public int HitStreak;
        public float Score;
        public int ClassId;
        public int DetectionIndex;
        public BoxF Predicted;
    }

    private readonly List<Record> _tracks = new(64);
    private readonly Stack<Record> _free = new();
    private readonly LinearAssignment _assignment = new();
    private float[] _cost = new float[64 * 64];
    private int[] _detToTrack = new int[64];
    private int[] _trackToDet = new int[64];
    private TrackView[] _views = new TrackView[64];
    private int _frame;
    private int _nextId;

    public void Reset()
    {
        foreach (var t in _tracks)
        {
            _free.Push(t);
        }
        _tracks.Clear();
        _frame = 0;
        _nextId = 0;
    }

    public ReadOnlySpan<TrackView> Update(ReadOnlySpan<DetectionRecord> detections, in TrackerFrameContext context)
    {
        // Over dropped frames, one prediction per source frame; max_age counts source frames.
        int step = Math.Max(1, context.FrameStep);
        _frame += step;
        for (int i = _tracks.Count - 1; i >= 0; i--)
        {
            var t = _tracks[i];
            for (int p = 0, n = Math.Min(step, maxAge + 1); p < n; p++)
            {
                t.Filter.Predict();
            }
            if (t.TimeSinceUpdate > 0)
            {
                t.HitStreak = 0;
            }
            t.TimeSinceUpdate += step;
            t.DetectionIndex = -1;
            t.Predicted = t.Filter.Box;
            if (float.IsNaN(t.Predicted.X1) || float.IsNaN(t.Predicted.Y1) || float.IsNaN(t.Predicted.X2) || float.IsNaN(t.Predicted.Y2))
            {
                _free.Push(t);
                _tracks.RemoveAt(i);
            }
        }

        int nd = detections.Length, nt = _tracks.Count;
        ScratchArray.EnsureLength(ref _cost, nd * nt);
        ScratchArray.EnsureLength(ref _detToTrack, nd);
        ScratchArray.EnsureLength(ref _trackToDet, nt);
        _detToTrack.AsSpan(0, nd).Fill(-1);
        _trackToDet.AsSpan(0, nt).Fill(-1);
        if (nd > 0 && nt > 0)
        {
            // associate_detections_to_trackers: if every row and column has at most one pair above the threshold,
            // take those pairs; otherwise solve the assignment maximising total IoU over all pairs.
            bool unique = true;
            Span<int> perTrack = _trackToDet.AsSpan(0, nt);
            for (int d = 0; d < nd; d++)
            {
                int above = 0;
                for (int t = 0; t < nt; t++)
                {
                    float iou = detections[d].Box.IoU(_tracks[t].Predicted);
                    _cost[(d * nt) + t] = -iou;
                    if (iou > iouThreshold)
                    {
                        above++;
                        unique &= ++perTrack[t] == 0; // perTrack starts at -1: second hit on a track breaks uniqueness
                    }
                }
                unique &= above <= 1;
            }
            perTrack.Fill(-1);
            if (unique)
            {
                for (int d = 0; d < nd; d++)
                {
                    for (int t = 0; t < nt; t++)
                    {
                        if (-_cost[(d * nt) + t] > iouThreshold)
                        {
                            _detToTrack[d] = t;
                            _trackToDet[t] = d;
                        }
                    }
                }
            }
            else
            {
                _assignment.Solve(_cost.AsSpan(0, nd * nt), nd, nt, double.PositiveInfinity, _detToTrack, _trackToDet);
                for (int d = 0; d < nd; d++)
                {
                    int t = _detToTrack[d];
                    if (t >= 0 && -_cost[(d * nt) + t] < iouThreshold)
                    {
                        _detToTrack[d] = -1;
                        _trackToDet[t] = -1;
                    }
                }
            }
        }

        for (int t = 0; t < nt; t++)
        {
            int d = _trackToDet[t];
            if (d < 0)
            {
                continue;
            }
            var r = _tracks[t];
            r.TimeSinceUpdate = 0;
            r.HitStreak++;
            r.Filter.Update(detections[d].Box);
            r.Score = detections[d].Score;
            r.ClassId = detections[d].ClassId;
            r.DetectionIndex = d;
        }
        for (int d = 0; d < nd; d++)
        {
            if (_detToTrack[d] >= 0)
            {
                continue;
            }
            var r = _free.Count > 0 ? _free.Pop() : new Record();
            r.Filter.Initiate(detections[d].Box);
            r.Id = ++_nextId;
            r.TimeSinceUpdate = 0;
            r.HitStreak = 0;
            r.Score = detections[d].Score;
            r.ClassId = detections[d].ClassId;
            r.DetectionIndex = d;
            _tracks.Add(r);
        }

        ScratchArray.EnsureLength(ref _views, _tracks.Count);
        int k = 0;
        for (int i = 0; i < _tracks.Count; i++)
        {
            var r = _tracks[i];
            if (r.TimeSinceUpdate > maxAge)
            {
                continue;
            }
            bool reported = r.TimeSinceUpdate < 1 && (r.HitStreak >= minHits || _frame <= minHits);
            var state = r.TimeSinceUpdate > 0 ? TrackState.Lost : reported ? TrackState.Confirmed : TrackState.Tentative;
            _views[k++] = new TrackView(r.Id, r.Filter.Box, r.Score, r.ClassId, state, r.TimeSinceUpdate, r.DetectionIndex,
                r.Filter.VelocityX, r.Filter.VelocityY);
        }
        // Tracks unmatched for more than maxAge frames are dropped.
        for (int i = _tracks.Count - 1; i >= 0; i--)
        {
            if (_tracks[i].TimeSinceUpdate > maxAge)
            {
                _free.Push(_tracks[i]);
                _tracks.RemoveAt(i);
            }
        }
        return _views.AsSpan(0, k);
    }
}
