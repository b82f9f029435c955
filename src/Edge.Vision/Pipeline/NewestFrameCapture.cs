using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Edge.Capture;

namespace Edge.Pipeline;

/// <summary>The capture thread of newest-frame mode (live sources, real-time replay): reads the source continuously
/// into a few pooled Mats and keeps only the newest in a one-slot <see cref="BoundedChannelFullMode.DropOldest"/>
/// channel; older frames are dropped and counted. <see cref="TryTake"/> swaps the newest Mat into a pipeline frame
/// (no copy). If reading fails, the channel completes with the source's exception, which
/// <see cref="WaitToReadAsync"/> rethrows; when capture is stopped the channel completes at once, which wakes the
/// reader (its wait takes no token: a cancellable channel wait allocates on every wait, see DetectionPipeline).</summary>
internal sealed class NewestFrameCapture : IAsyncDisposable
{
    /// <summary>Mats cycling between the capture thread and the decode task: one being read, one waiting in the
    /// one-slot channel, one being handed over.</summary>
    private const int Buffers = 3;

    private readonly CapturedFrame[] _captured = new CapturedFrame[Buffers];
    private readonly ConcurrentQueue<CapturedFrame> _free = new();
    private readonly Channel<CapturedFrame> _latest;
    private readonly StageStatistics _decodeStats;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenRegistration _stopSource;
    private readonly CancellationTokenRegistration _stopReader;
    private readonly Task _thread;

    /// <param name="pace">Deliver a file source at its timestamps (real time) instead of as fast as it decodes.</param>
    public NewestFrameCapture(IFrameSource source, bool pace, PipelineStatistics statistics, CancellationToken stop)
    {
        for (int i = 0; i < _captured.Length; i++)
        {
            _captured[i] = new CapturedFrame();
            _free.Enqueue(_captured[i]);
        }
        var status = (source as ReconnectingFrameSource)?.Status;
        _latest = Channel.CreateBounded<CapturedFrame>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            stale =>
            {
                _free.Enqueue(stale);
                statistics.RecordDropped();
                status?.RecordDropped();
            });
        _decodeStats = statistics[PipelineStage.Decode];
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        // A reconnecting source may be sleeping in its backoff: wake it when capture stops.
        _stopSource = source is ReconnectingFrameSource reconnecting
            ? _stop.Token.Register(static s => ((ReconnectingFrameSource)s!).Stop(), reconnecting)
            : default;
        _stopReader = _stop.Token.UnsafeRegister(static w => ((ChannelWriter<CapturedFrame>)w!).TryComplete(), _latest.Writer);
        CancellationToken token = _stop.Token;
        _thread = Task.Factory.StartNew(
            () => Run(source, pace, statistics, token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Waits for a captured frame; false when the source has ended or capture was stopped (the caller checks
    /// its token when this returns).</summary>
    public ValueTask<bool> WaitToReadAsync() => _latest.Reader.WaitToReadAsync();

    /// <summary>Swaps the newest captured Mat into <paramref name="frame"/> and recycles the frame's old Mat.</summary>
    public bool TryTake(PipelineFrame frame, out FrameStamp stamp)
    {
        if (!_latest.Reader.TryRead(out CapturedFrame? next))
        {
            stamp = default;
            return false;
        }
        (frame.Image, next.Image) = (next.Image, frame.Image);
        stamp = next.Stamp;
        _decodeStats.Record(next.DecodeMs);
        _free.Enqueue(next);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // The capture thread returns after its current read (bounded by the source's read timeout).
        await _thread.ConfigureAwait(false);
        _stopSource.Dispose();
        _stopReader.Dispose();
        _stop.Dispose();
        foreach (var c in _captured)
        {
            c.Dispose();
        }
    }

    private void Run(IFrameSource source, bool pace, PipelineStatistics statistics, CancellationToken stop)
    {
        Exception? error = null;
        try
        {
            long paceStart = 0;
            bool first = true;
            while (!stop.IsCancellationRequested)
            {
                if (!_free.TryDequeue(out CapturedFrame? buffer))
                {
                    // All buffers briefly with the decode task (between its read and its return of the buffer).
                    Thread.Sleep(1);
                    continue;
                }
                long t0 = Stopwatch.GetTimestamp();
                if (!source.TryRead(buffer.Image, out FrameStamp stamp))
                {
                    _free.Enqueue(buffer);
                    break;
                }
                long t1 = Stopwatch.GetTimestamp();
                buffer.DecodeMs = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                buffer.Stamp = stamp;
                statistics.RecordCaptured();
                if (pace)
                {
                    if (first)
                    {
                        // Timestamp 0 of the file is "now"; frame k is due stamp.Seconds later.
                        paceStart = t1 - (long)(stamp.Seconds * Stopwatch.Frequency);
                    }
                    TimeSpan wait = TimeSpan.FromSeconds(stamp.Seconds) - Stopwatch.GetElapsedTime(paceStart);
                    if (wait > TimeSpan.Zero && stop.WaitHandle.WaitOne(wait))
                    {
                        _free.Enqueue(buffer);
                        break;
                    }
                }
                first = false;
                // Never blocks: a full slot drops its older frame through the channel's itemDropped callback.
                _latest.Writer.TryWrite(buffer);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            _latest.Writer.TryComplete(error);
        }
    }
}
