using System.Diagnostics;

namespace Edge.Service.Web;

/// <summary>Holds the newest frame and wakes every waiting MJPEG viewer when a new one arrives. The producer
/// (the pipeline's encoder) calls <see cref="Publish"/>; slow viewers simply skip frames, they never queue.
/// Asking for a frame (<see cref="WaitForFrameAsync"/>) is also what keeps the producer encoding: it checks
/// <see cref="Wanted"/> and renders no frame nobody has asked for within <see cref="DemandWindow"/>.</summary>
/// <param name="demandWindow">Default <see cref="DefaultDemandWindow"/>.</param>
public sealed class LiveFrameBroadcaster(TimeSpan? demandWindow = null)
{
    /// <summary>A stream viewer asks again after every frame it sends; one that has not asked for this long is gone or
    /// on a link slower than a frame every two seconds (its next request restarts the encoding within one stream
    /// interval). A snapshot asks once.</summary>
    public static readonly TimeSpan DefaultDemandWindow = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private long _lastDemand;
    private TaskCompletionSource<LiveFrame> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LiveFrame? _latest;
    private long _sequence;

    public LiveFrame? Latest => Volatile.Read(ref _latest);

    public TimeSpan DemandWindow { get; } = demandWindow ?? DefaultDemandWindow;

    /// <summary>True while someone has asked for a frame within <see cref="DemandWindow"/>.</summary>
    public bool Wanted
    {
        get
        {
            long asked = Volatile.Read(ref _lastDemand);
            return asked != 0 && Stopwatch.GetElapsedTime(asked) < DemandWindow;
        }
    }

    public LiveFrame Publish(ReadOnlyMemory<byte> jpeg, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        TaskCompletionSource<LiveFrame> wake;
        LiveFrame frame;
        lock (_gate)
        {
            frame = new LiveFrame(++_sequence, jpeg, width, height);
            Volatile.Write(ref _latest, frame);
            wake = _next;
            _next = new TaskCompletionSource<LiveFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.SetResult(frame);
        return frame;
    }

    public ValueTask<LiveFrame> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastDemand, Stopwatch.GetTimestamp());
        Task<LiveFrame> next;
        lock (_gate)
        {
            if (_latest is { } latest && latest.Sequence > afterSequence)
            {
                return ValueTask.FromResult(latest);
            }
            next = _next.Task;
        }
        return new ValueTask<LiveFrame>(next.WaitAsync(cancellationToken));
    }
}
