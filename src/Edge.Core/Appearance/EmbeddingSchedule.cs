using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Appearance;

/// <summary>Limits of <see cref="EmbeddingScheduler"/>.</summary>
public sealed record EmbeddingScheduleOptions
{
    /// <summary>Most crops embedded per frame; the rest get no fresh embedding this frame.</summary>
    public int Budget { get; init; } = 8;

    /// <summary>A track that is matched unambiguously is re-embedded at most this often (frames).</summary>
    public int RefreshFrames { get; init; } = 15;

    /// <summary>A detection whose best IoU with the previous frame's tracks is below this is treated as new or
    /// being re-associated (it may be a lost track coming back) and is embedded first.</summary>
    public float MatchIoU { get; init; } = 0.5f;

    /// <summary>A detection overlapping a second track by more than this is in a crowd (crossings swap ids) and is
    /// embedded first.</summary>
    public float AmbiguousIoU { get; init; } = 0.3f;

    public void Validate()
    {
        if (Budget < 1 || RefreshFrames < 1 || !(MatchIoU > 0 && MatchIoU <= 1) || !(AmbiguousIoU > 0 && AmbiguousIoU <= 1))
        {
            throw new EdgeException($"Embedding schedule: budget {Budget} and refresh {RefreshFrames} must be >= 1, IoU thresholds ({MatchIoU}, {AmbiguousIoU}) in (0, 1].");
        }
    }
}

/// <summary>Chooses which detections of a frame get a (costly) re-id embedding, before the tracker runs. Tracks
/// that are followed cleanly by IoU need appearance rarely; appearance matters for new detections (possibly a lost
/// track re-appearing), for crowded boxes, and for the Follow Me target and its candidates while it is searched
/// for (BoT-SORT uses appearance only where IoU is ambiguous, arXiv 2206.14651 §3.4). Priorities, highest first:
/// Follow Me target or search candidates; new / re-associated / ambiguous detections; tracks whose last embedding
/// is older than <see cref="EmbeddingScheduleOptions.RefreshFrames"/>, oldest first. At most
/// <see cref="EmbeddingScheduleOptions.Budget"/> are chosen. Storage is reused between frames.</summary>
public sealed class EmbeddingScheduler
{
    private readonly EmbeddingScheduleOptions _options;
    private TrackView[] _previous = new TrackView[64];
    private int _previousCount;
    private float[] _keys = new float[64];
    private int[] _order = new int[64];

    public EmbeddingScheduler(EmbeddingScheduleOptions options)
    {
        options.Validate();
        _options = options;
    }

    public EmbeddingScheduleOptions Options => _options;

    /// <summary>Remembers the tracks of the frame just processed (matched ones are used for the next choice).</summary>
    public void Observe(ReadOnlySpan<TrackView> tracks)
    {
        ScratchArray.EnsureLength(ref _previous, tracks.Length);
        _previousCount = 0;
        foreach (ref readonly TrackView t in tracks)
        {
            if (t.IsMatched)
            {
                _previous[_previousCount++] = t;
            }
        }
    }

    /// <summary>Marks in <paramref name="selected"/> (one flag per box) the boxes to embed in frame
    /// <paramref name="frame"/> and returns how many. <paramref name="eligible"/> excludes boxes (other classes).
    /// <paramref name="targetTrackId"/> is the Follow Me target (0 when none) and <paramref name="searching"/> is
    /// true while it is lost, which makes every eligible box a candidate.</summary>
    public int Select(ReadOnlySpan<BoxF> boxes, ReadOnlySpan<bool> eligible, TrackGallery? gallery, long frame,
        int targetTrackId, bool searching, Span<bool> selected)
    {
        int n = boxes.Length;
        if (eligible.Length != n || selected.Length < n)
        {
            throw new EdgeException($"EmbeddingScheduler: {n} boxes, {eligible.Length} eligibility flags, {selected.Length} outputs.");
        }
        if (_keys.Length < n)
        {
            _keys = new float[n * 2];
            _order = new int[n * 2];
        }
        int candidates = 0;
        for (int d = 0; d < n; d++)
        {
            selected[d] = false;
            if (!eligible[d] || boxes[d].IsEmpty)
            {
                continue;
            }
            float best = 0f, second = 0f;
            int bestTrack = -1;
            for (int i = 0; i < _previousCount; i++)
            {
                float iou = boxes[d].IoU(_previous[i].Box);
                if (iou > best)
                {
                    (second, best, bestTrack) = (best, iou, i);
                }
                else if (iou > second)
                {
                    second = iou;
                }
            }
            int id = bestTrack >= 0 && best >= _options.MatchIoU ? _previous[bestTrack].Id : 0;
            long age = id == 0 ? long.MaxValue : frame - (gallery?.LastUpdated(id) ?? long.MinValue / 2);
            int priority;
            if ((targetTrackId != 0 && id == targetTrackId) || searching)
            {
                priority = 3;
            }
            else if (id == 0 || second > _options.AmbiguousIoU || gallery?.Contains(id) == false)
            {
                priority = 2;
            }
            else if (age >= _options.RefreshFrames)
            {
                priority = 1;
            }
            else
            {
                continue;
            }
            // Higher priority first, then the stalest, then the larger box (more pixels, better embedding).
            float ageTerm = Math.Min(age, 999);
            _keys[candidates] = -((priority * 1e7f) + (ageTerm * 1e3f) + Math.Min(boxes[d].Height, 999f));
            _order[candidates] = d;
            candidates++;
        }
        Array.Sort(_keys, _order, 0, candidates);
        int count = Math.Min(candidates, _options.Budget);
        for (int k = 0; k < count; k++)
        {
            selected[_order[k]] = true;
        }
        return count;
    }
}
