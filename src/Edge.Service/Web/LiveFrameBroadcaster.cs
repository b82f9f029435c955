namespace Edge.Service.Web;

/// <summary>Holds the newest frame and wakes every waiting MJPEG viewer when a new one arrives. The producer
/// (the pipeline's encoder) calls <see cref="Publish"/>; slow viewers simply skip frames, they never queue.</summary>
public sealed class LiveFrameBroadcaster
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<LiveFrame> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LiveFrame? _latest;
    private long _sequence;

    public LiveFrame? Latest => Volatile.Read(ref _latest);

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
