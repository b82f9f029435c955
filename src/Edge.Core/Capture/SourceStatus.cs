namespace Edge.Capture;

/// <summary>The writable <see cref="ISourceStatus"/>: the source wrapper reports state changes, the pipeline reports
/// reads and drops. Counters are updated with interlocked operations and the per-frame calls
/// (<see cref="RecordFrame"/>, <see cref="RecordDropped"/>) take no lock and allocate nothing; state changes take a
/// lock so <see cref="Snapshot"/> sees state and error together.</summary>
public sealed class SourceStatus(string name, TimeProvider? time = null) : ISourceStatus
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private int _state = (int)SourceState.Connecting;
    private string? _lastError;
    private long _reconnects;
    private long _failedAttempts;
    private long _framesRead;
    private long _framesDropped;
    private long _lastFrameUtcTicks;

    public string Name { get; } = name;

    public SourceState State => (SourceState)Volatile.Read(ref _state);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    public long FramesRead => Interlocked.Read(ref _framesRead);

    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    public string? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Raised after every state change (not per frame), on the thread that changed it.</summary>
    public event Action<SourceStatusSnapshot>? StateChanged;

    public SourceStatusSnapshot Snapshot()
    {
        lock (_gate)
        {
            long ticks = Interlocked.Read(ref _lastFrameUtcTicks);
            return new SourceStatusSnapshot(Name, (SourceState)_state, Reconnects, FailedAttempts, FramesRead, FramesDropped, _lastError,
                ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
        }
    }

    /// <summary>A frame was read. Moves Connecting/Reconnecting to Streaming.</summary>
    public void RecordFrame()
    {
        Interlocked.Increment(ref _framesRead);
        Interlocked.Exchange(ref _lastFrameUtcTicks, _time.GetUtcNow().UtcTicks);
        if (Volatile.Read(ref _state) != (int)SourceState.Streaming)
        {
            Transition(SourceState.Streaming, error: null, keepError: true);
        }
    }

    /// <summary>A read frame was replaced by a newer one before it was processed.</summary>
    public void RecordDropped() => Interlocked.Increment(ref _framesDropped);

    /// <summary>The source was lost while streaming (or its first open failed): a reconnect begins.</summary>
    public void RecordLost(string error)
    {
        lock (_gate)
        {
            if (_state == (int)SourceState.Ended)
            {
                return;
            }
            if (_state != (int)SourceState.Reconnecting)
            {
                Interlocked.Increment(ref _reconnects);
            }
        }
        Transition(SourceState.Reconnecting, error, keepError: false);
    }

    /// <summary>An open attempt failed; the state stays Connecting or Reconnecting.</summary>
    public void RecordFailedAttempt(string error)
    {
        Interlocked.Increment(ref _failedAttempts);
        lock (_gate)
        {
            _lastError = error;
        }
    }

    public void RecordEnded() => Transition(SourceState.Ended, error: null, keepError: true);

    private void Transition(SourceState state, string? error, bool keepError)
    {
        SourceStatusSnapshot snapshot;
        lock (_gate)
        {
            if ((_state == (int)state && (keepError || error == _lastError)) || _state == (int)SourceState.Ended)
            {
                return;
            }
            Volatile.Write(ref _state, (int)state);
            if (!keepError)
            {
                _lastError = error;
            }
            snapshot = Snapshot();
        }
        StateChanged?.Invoke(snapshot);
    }
}
