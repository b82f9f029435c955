using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>Runs one sink on its own thread behind a bounded queue (a dedicated thread, not the thread pool: a sink
/// that blocks, e.g. on disk, must not starve the pool the pipeline stages run on). <see cref="Offer"/> copies the frame and result
/// into a free slot (a fixed set of pooled Mats and results, so steady state allocates nothing) or, when every
/// slot is taken, drops the frame for this sink and counts it. A sink failure is rethrown on the next
/// <see cref="Offer"/> or by <see cref="Complete"/>.</summary>
internal sealed class SinkQueue : IDisposable
{
    private readonly IFrameSink _sink;
    private readonly ConcurrentQueue<Slot> _free = new();
    private readonly ConcurrentQueue<Slot> _pending = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Slot[] _slots;
    private readonly Thread _worker;
    private volatile bool _completing;
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
        _worker = new Thread(Drain) { IsBackground = true, Name = "sink " + statistics.Name };
        _worker.Start();
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
        _pending.Enqueue(slot);
        _signal.Release();
        return true;
    }

    /// <summary>Lets the sink finish the queued frames, then completes it; rethrows a sink failure.</summary>
    public void Complete()
    {
        Stop();
        _sink.Complete();
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        Stop();
        foreach (var slot in _slots)
        {
            slot.Image.Dispose();
        }
        _signal.Dispose();
    }

    private void Stop()
    {
        if (!_completing)
        {
            _completing = true;
            _signal.Release();
        }
        _worker.Join();
    }

    private void Drain()
    {
        while (true)
        {
            _signal.Wait();
            while (_pending.TryDequeue(out Slot? slot))
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
            if (_completing && _pending.IsEmpty)
            {
                return;
            }
        }
    }

    private sealed class Slot
    {
        public Mat Image { get; } = new();

        public FrameResult Result { get; } = new();
    }
}
