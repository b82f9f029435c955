using System.Diagnostics.CodeAnalysis;

namespace Edge.Appearance;

/// <summary>Per-track state of a stage that runs beside the tracker, stamped with the last frame it was touched.</summary>
internal abstract class TrackEntry
{
    public long LastFrame;
}

/// <summary>Per-track entries keyed by track id (<see cref="TrackGallery"/>, <see cref="TrackLabelSmoother"/>).
/// Entries of tracks the tracker has dropped go to a free list and are handed out again, so steady-state frames
/// allocate nothing.</summary>
internal sealed class TrackEntries<T>(Func<T> create)
    where T : TrackEntry
{
    private readonly Dictionary<int, T> _entries = [];
    private readonly Stack<T> _free = new();
    private readonly List<int> _stale = [];

    public int Count => _entries.Count;

    public bool TryGet(int trackId, [MaybeNullWhen(false)] out T entry) => _entries.TryGetValue(trackId, out entry);

    /// <summary>The track's entry; a new or recycled one (<paramref name="added"/> true, the caller resets it) for
    /// a track without one.</summary>
    public T GetOrAdd(int trackId, out bool added)
    {
        added = !_entries.TryGetValue(trackId, out T? entry);
        if (entry is null)
        {
            entry = _free.Count > 0 ? _free.Pop() : create();
            _entries[trackId] = entry;
        }
        return entry;
    }

    /// <summary>Forgets tracks not touched since <paramref name="olderThanFrame"/>, recycling their entries.</summary>
    public void ForgetOlderThan(long olderThanFrame)
    {
        _stale.Clear();
        foreach (var (id, e) in _entries)
        {
            if (e.LastFrame < olderThanFrame)
            {
                _stale.Add(id);
            }
        }
        foreach (int id in _stale)
        {
            _free.Push(_entries[id]);
            _entries.Remove(id);
        }
    }
}
