namespace Edge.Service.Mqtt;

/// <summary>A bounded FIFO ring that, when full, overwrites the oldest item and counts it as dropped: after an
/// outage the newest events (the current state) matter more than the oldest. The consumer peeks, publishes,
/// then removes the head only if it is still the same item, so a publish failure loses nothing and a drop
/// that races a publish never removes the wrong item.</summary>
public sealed class DropOldestQueue<T>
{
    private readonly Lock _gate = new();
    private readonly T[] _items;
    private readonly long[] _tickets;
    private int _head;
    private int _count;
    private long _nextTicket;
    private long _dropped;

    public DropOldestQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
        _tickets = new long[capacity];
    }

    public int Capacity => _items.Length;

    public int Count
    {
        get { lock (_gate) { return _count; } }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds an item; returns true if the oldest item had to be dropped to make room.</summary>
    public bool Enqueue(T item)
    {
        lock (_gate)
        {
            bool dropped = false;
            if (_count == _items.Length)
            {
                _items[_head] = default!;
                _head = (_head + 1) % _items.Length;
                _count--;
                Interlocked.Increment(ref _dropped);
                dropped = true;
            }
            int tail = (_head + _count) % _items.Length;
            _items[tail] = item;
            _tickets[tail] = _nextTicket++;
            _count++;
            return dropped;
        }
    }

    /// <summary>The oldest item and a ticket identifying it for <see cref="RemoveIfHead"/>.</summary>
    public bool TryPeek(out T item, out long ticket)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                item = default!;
                ticket = -1;
                return false;
            }
            item = _items[_head];
            ticket = _tickets[_head];
            return true;
        }
    }

    /// <summary>Copies up to <c>items.Length</c> of the oldest items (oldest first) with their tickets; returns how many.</summary>
    public int PeekMany(Span<T> items, Span<long> tickets)
    {
        lock (_gate)
        {
            int n = Math.Min(Math.Min(items.Length, tickets.Length), _count);
            for (int i = 0; i < n; i++)
            {
                int slot = (_head + i) % _items.Length;
                items[i] = _items[slot];
                tickets[i] = _tickets[slot];
            }
            return n;
        }
    }

    /// <summary>Removes the head if it is still the item with <paramref name="ticket"/> (it may have been dropped
    /// meanwhile); returns whether it removed it.</summary>
    public bool RemoveIfHead(long ticket)
    {
        lock (_gate)
        {
            if (_count == 0 || _tickets[_head] != ticket)
            {
                return false;
            }
            _items[_head] = default!;
            _head = (_head + 1) % _items.Length;
            _count--;
            return true;
        }
    }
}
