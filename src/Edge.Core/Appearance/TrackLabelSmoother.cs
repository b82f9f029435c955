namespace Edge.Appearance;

/// <summary>Per-track smoothing of a secondary classifier's outputs, as DeepStream's secondary GIE does with its
/// classifier "votes": the running mean of the probability vectors seen for a track, and a label only once at
/// least <see cref="MinVotes"/> observations back it (one crop's verdict is noisy: blur, occlusion, pose).</summary>
public sealed class TrackLabelSmoother
{
    private readonly TrackEntries<Entry> _tracks;

    public TrackLabelSmoother(int classes, int minVotes)
    {
        if (classes < 1)
        {
            throw new EdgeException($"TrackLabelSmoother: classes {classes} must be at least 1.");
        }
        if (minVotes < 1)
        {
            throw new EdgeException($"TrackLabelSmoother: minVotes {minVotes} must be at least 1.");
        }
        Classes = classes;
        MinVotes = minVotes;
        _tracks = new TrackEntries<Entry>(() => new Entry(classes));
    }

    public int Classes { get; }

    public int MinVotes { get; }

    /// <summary>Adds one probability vector (length <see cref="Classes"/>) for a track seen in frame
    /// <paramref name="frame"/>.</summary>
    public void Observe(int trackId, ReadOnlySpan<float> probabilities, long frame)
    {
        if (probabilities.Length != Classes)
        {
            throw new EdgeException($"TrackLabelSmoother: got {probabilities.Length} probabilities, expected {Classes}.");
        }
        Entry e = _tracks.GetOrAdd(trackId, out bool added);
        if (added)
        {
            Array.Clear(e.Sum);
            e.Votes = 0;
        }
        for (int i = 0; i < probabilities.Length; i++)
        {
            e.Sum[i] += probabilities[i];
        }
        e.Votes++;
        e.LastFrame = frame;
    }

    /// <summary>Frame of the track's last observation, or null when it has none.</summary>
    public long? LastObserved(int trackId) => _tracks.TryGet(trackId, out Entry? e) ? e.LastFrame : null;

    public int Votes(int trackId) => _tracks.TryGet(trackId, out Entry? e) ? e.Votes : 0;

    /// <summary>The arg-max of the mean probabilities and that mean, once the track has <see cref="MinVotes"/>
    /// observations; false before.</summary>
    public bool TryGetLabel(int trackId, out int classIndex, out float confidence)
    {
        classIndex = -1;
        confidence = 0f;
        if (!_tracks.TryGet(trackId, out Entry? e) || e.Votes < MinVotes)
        {
            return false;
        }
        float best = float.NegativeInfinity;
        for (int i = 0; i < e.Sum.Length; i++)
        {
            if (e.Sum[i] > best)
            {
                (best, classIndex) = (e.Sum[i], i);
            }
        }
        confidence = best / e.Votes;
        return true;
    }

    /// <summary>Forgets tracks not observed since <paramref name="olderThanFrame"/> (the tracker has dropped
    /// them), recycling their storage.</summary>
    public void ForgetOlderThan(long olderThanFrame) => _tracks.ForgetOlderThan(olderThanFrame);

    private sealed class Entry(int classes) : TrackEntry
    {
        public readonly float[] Sum = new float[classes];
        public int Votes;
    }
}
