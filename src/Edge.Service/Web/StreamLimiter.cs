namespace Edge.Service.Web;

/// <summary>Caps simultaneous MJPEG viewers: each one costs a socket and a copy of every frame.</summary>
public sealed class StreamLimiter(int limit)
{
    private int _active;

    public int Limit { get; } = limit;

    public int Active => Volatile.Read(ref _active);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _active) <= Limit)
        {
            return true;
        }
        Interlocked.Decrement(ref _active);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _active);
}
