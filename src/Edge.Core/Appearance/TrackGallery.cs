namespace Edge.Appearance;

/// <summary>Per-track appearance memory: a bounded ring of the most recent L2-normalised embeddings and their
/// exponential moving average (BoT-SORT's smoothed feature, arXiv 2206.14651 §3.4; a small gallery as in
/// DeepSORT's per-track feature budget, arXiv 1703.07402 §2.2). Similarity to a query is the best cosine over the
/// average and the stored samples, so a pose seen a moment ago still matches after the average has drifted.</summary>
public sealed class TrackGallery
{
    private readonly TrackEntries<Entry> _tracks;

    /// <param name="dimension">Embedding length.</param>
    /// <param name="capacity">Samples kept per track (oldest replaced first).</param>
    /// <param name="momentum">EMA weight of the old mean (BoT-SORT alpha 0.9).</param>
    public TrackGallery(int dimension, int capacity = 8, float momentum = 0.9f)
    {
        if (dimension < 1 || capacity < 1 || !(momentum >= 0 && momentum < 1))
        {
            throw new EdgeException($"TrackGallery: dimension {dimension} and capacity {capacity} must be >= 1 and momentum {momentum} in [0, 1).");
        }
        Dimension = dimension;
        Capacity = capacity;
        Momentum = momentum;
        _tracks = new TrackEntries<Entry>(() => new Entry(dimension, capacity));
    }

    public int Dimension { get; }

    public int Capacity { get; }

    public float Momentum { get; }

    public int Count => _tracks.Count;

    /// <summary>Adds an observation of a track in frame <paramref name="frame"/>; an all-zero row (unknown) is ignored.</summary>
    public void Add(int trackId, ReadOnlySpan<float> embedding, long frame)
    {
        if (embedding.Length != Dimension)
        {
            throw new EdgeException($"TrackGallery: embedding of {embedding.Length} floats, expected {Dimension}.");
        }
        if (!UnitVector.HasSignal(embedding))
        {
            return;
        }
        Entry e = _tracks.GetOrAdd(trackId, out bool added);
        if (added)
        {
            e.Count = 0;
            e.Next = 0;
            embedding.CopyTo(e.Mean);
        }
        else
        {
            for (int i = 0; i < Dimension; i++)
            {
                e.Mean[i] = (Momentum * e.Mean[i]) + ((1 - Momentum) * embedding[i]);
            }
        }
        UnitVector.Normalize(e.Mean);
        var slot = e.Samples.AsSpan(e.Next * Dimension, Dimension);
        embedding.CopyTo(slot);
        UnitVector.Normalize(slot);
        e.Next = (e.Next + 1) % Capacity;
        e.Count = Math.Min(e.Count + 1, Capacity);
        e.LastFrame = frame;
    }

    public bool Contains(int trackId) => _tracks.TryGet(trackId, out _);

    /// <summary>Frame of the track's last embedding, or null when it has none.</summary>
    public long? LastUpdated(int trackId) => _tracks.TryGet(trackId, out Entry? e) ? e.LastFrame : null;

    /// <summary>Samples stored for a track (0 when unknown).</summary>
    public int SampleCount(int trackId) => _tracks.TryGet(trackId, out Entry? e) ? e.Count : 0;

    /// <summary>The track's averaged embedding (unit length), empty when unknown.</summary>
    public ReadOnlySpan<float> Mean(int trackId) => _tracks.TryGet(trackId, out Entry? e) ? e.Mean : [];

    /// <summary>Best cosine similarity of <paramref name="query"/> (unit length) with the track's mean and samples;
    /// NaN when the track or the query is unknown.</summary>
    public float Similarity(int trackId, ReadOnlySpan<float> query)
    {
        if (query.Length != Dimension || !UnitVector.HasSignal(query) || !_tracks.TryGet(trackId, out Entry? e))
        {
            return float.NaN;
        }
        float best = UnitVector.Dot(e.Mean, query);
        for (int s = 0; s < e.Count; s++)
        {
            best = MathF.Max(best, UnitVector.Dot(e.Samples.AsSpan(s * Dimension, Dimension), query));
        }
        return best;
    }

    /// <summary>Forgets tracks without an embedding since <paramref name="olderThanFrame"/>, recycling storage.</summary>
    public void ForgetOlderThan(long olderThanFrame) => _tracks.ForgetOlderThan(olderThanFrame);

    private sealed class Entry(int dimension, int capacity) : TrackEntry
    {
        public readonly float[] Mean = new float[dimension];
        public readonly float[] Samples = new float[dimension * capacity];
        public int Count;
        public int Next;
    }
}
