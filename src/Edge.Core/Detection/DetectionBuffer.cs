namespace Edge.Detection;

/// <summary>A fixed-capacity list of detections that never grows, so decoding allocates nothing per frame.
/// Decoders stop appending when it is full (<see cref="Dropped"/> counts what did not fit).</summary>
public sealed class DetectionBuffer(int capacity)
{
    private readonly Detection[] _items = new Detection[capacity];

    public int Capacity => _items.Length;
    public int Count { get; private set; }

    /// <summary>Candidates that did not fit since the last <see cref="Clear"/>.</summary>
    public int Dropped { get; private set; }

    public Span<Detection> Items => _items.AsSpan(0, Count);

    public void Clear()
    {
        Count = 0;
        Dropped = 0;
    }

    public void Add(in Detection d)
    {
        if (Count < _items.Length)
        {
            _items[Count++] = d;
        }
        else
        {
            Dropped++;
        }
    }
}
