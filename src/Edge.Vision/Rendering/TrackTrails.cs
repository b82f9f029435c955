using SkiaSharp;

namespace Edge.Rendering;

/// <summary>Recent box-centre points per track id, for drawing short trails. Buffers of tracks that disappear are
/// recycled, so a steady scene allocates nothing.</summary>
public sealed class TrackTrails(int length)
{
    private readonly Dictionary<int, Trail> _trails = [];
    private readonly Stack<Trail> _free = new();
    private readonly List<int> _expired = [];
    private long _frame;

    public int Length { get; } = length;

    /// <summary>Starts a new frame; trails not extended for <see cref="Length"/> frames are dropped.</summary>
    public void BeginFrame()
    {
        _frame++;
        _expired.Clear();
        foreach (var (id, trail) in _trails)
        {
            if (_frame - trail.LastFrame > Length)
            {
                _expired.Add(id);
            }
        }
        foreach (int id in _expired)
        {
            _free.Push(_trails[id]);
            _trails.Remove(id);
        }
    }

    public void Add(int trackId, SKPoint point)
    {
        if (!_trails.TryGetValue(trackId, out var trail))
        {
            trail = _free.Count > 0 ? _free.Pop() : new Trail(Length);
            trail.Clear();
            _trails[trackId] = trail;
        }
        trail.Add(point, _frame);
    }

    /// <summary>Copies the trail of <paramref name="trackId"/> oldest first into <paramref name="destination"/>;
    /// returns the number of points.</summary>
    public int CopyTo(int trackId, Span<SKPoint> destination)
    {
        return _trails.TryGetValue(trackId, out var trail) ? trail.CopyTo(destination) : 0;
    }

    private sealed class Trail(int capacity)
    {
        private readonly SKPoint[] _points = new SKPoint[capacity];
        private int _start;
        private int _count;

        public long LastFrame { get; private set; }

        public void Clear() => _start = _count = 0;

        public void Add(SKPoint point, long frame)
        {
            LastFrame = frame;
            if (_count < _points.Length)
            {
                _points[(_start + _count++) % _points.Length] = point;
            }
            else
            {
                _points[_start] = point;
                _start = (_start + 1) % _points.Length;
            }
        }

        public int CopyTo(Span<SKPoint> destination)
        {
            int n = Math.Min(_count, destination.Length);
            for (int i = 0; i < n; i++)
            {
                destination[i] = _points[(_start + _count - n + i) % _points.Length];
            }
            return n;
        }
    }
}
