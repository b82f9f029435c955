using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>Runs one sink on its own task behind a bounded queue. <see cref="Offer"/> copies the frame and result
/// into a free slot (a fixed set of pooled Mats and results, so steady state allocates nothing) or, when every
/// slot is taken, drops the frame for this sink and counts it. A sink failure is rethrown on the next
/// <see cref="Offer"/> or by <see cref="Complete"/>.</summary>
internal sealed class SinkQueue : IDisposable
{
    private readonly IFrameSink _sink;
    private readonly ConcurrentQueue<Slot> _free = new();
    private readonly Channel<Slot> _queue;
    private readonly Slot[] _slots;
    private readonly Task _worker;
    private volatile Exception? _failure;

    public SinkQueue(IFrameSink sink, int capacity, SinkStatistics statistics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _sink = sink;
        Statistics = statistics;
        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i] = new Slot();
            _free.Enqueue(_slots[i]);
        }
        _queue = Channel.CreateBounded<Slot>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _worker = Task.Run(DrainAsync);
    }

    public SinkStatistics Statistics { get; }

    /// <summary>Queues a copy of the frame; false when it was dropped because the sink is behind.</summary>
    public bool Offer(FrameResult result, Mat frame)
    {
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        if (!_free.TryDequeue(out Slot? slot))
        {
            Statistics.RecordDropped();
            return false;
        }
        frame.CopyTo(slot.Image);
        slot.Result.CopyFrom(result);
        // Capacity equals the slot count, so a free slot always fits.
        _queue.Writer.TryWrite(slot);
        return true;
    }

    /// <summary>Lets the sink finish the queued frames, then completes it; rethrows a sink failure.</summary>
    public void Complete()
    {
        _queue.Writer.TryComplete();
        try
        {
            _worker.GetAwaiter().GetResult();
        }
        finally
        {
            _sink.Complete();
        }
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.Wait();
        foreach (var slot in _slots)
        {
            slot.Image.Dispose();
        }
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Slot? slot))
            {
                if (_failure is null)
                {
                    try
                    {
                        _sink.OnFrame(slot.Result, slot.Image);
                        Statistics.RecordDelivered();
                    }
                    catch (Exception ex)
                    {
                        _failure = ex;
                    }
                }
                _free.Enqueue(slot);
            }
        }
    }

    private sealed class Slot
    {
        public Mat Image { get; } = new();

        public FrameResult Result { get; } = new();
    }
}
