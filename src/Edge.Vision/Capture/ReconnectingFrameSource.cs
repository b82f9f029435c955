using OpenCvSharp;

namespace Edge.Capture;

/// <summary>Keeps a source going: when the inner source stops delivering (read failed, FFmpeg read timeout, camera
/// unplugged) it is disposed and reopened, at once for <see cref="SourceEndAction.Loop"/> or after
/// <see cref="ExponentialBackoff"/> delays for <see cref="SourceEndAction.Reconnect"/>, and the outage is counted in
/// <see cref="Status"/>. Frames are renumbered so indices keep increasing across reopenings; live timestamps are wall
/// clock since the first frame, looped file timestamps continue where the previous pass ended.
/// <see cref="TryRead"/> blocks during backoff; <see cref="Stop"/> (or <see cref="Dispose"/>) ends the wait and makes
/// it return false.</summary>
public sealed class ReconnectingFrameSource : IFrameSource
{
    private readonly Func<IFrameSource> _open;
    private readonly ReconnectOptions _options;
    private readonly ExponentialBackoff _backoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _innerGate = new();
    private IFrameSource? _inner;
    private long _next;
    private readonly LiveFrameClock _clock = new();
    private double _offsetSeconds;
    private double _lastSeconds;
    private bool _readSinceOpen;
    private int _failures;
    private bool _ended;

    private ReconnectingFrameSource(string name, Func<IFrameSource> open, ReconnectOptions options, Func<double>? uniform, TimeProvider? time)
    {
        Name = name;
        _open = open;
        _options = options;
        _backoff = new ExponentialBackoff(options.Backoff, uniform);
        Status = new SourceStatus(name, time);
    }

    public string Name { get; }

    /// <summary>State, outages, reads and drops, for health checks and metrics.</summary>
    public SourceStatus Status { get; }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public double Fps { get; private set; } = 25;

    /// <summary>Unknown: a looping or reconnecting source has no fixed length; an ending one reports its inner count.</summary>
    public int? FrameCount { get; private set; }

    public bool IsLive { get; private set; }

    /// <summary>Opens <paramref name="open"/> once now, so size and fps are known. When that fails it throws, unless
    /// <see cref="ReconnectOptions.RetryFirstOpen"/> is set: then the source starts in
    /// <see cref="SourceState.Connecting"/>, <see cref="TryRead"/> keeps retrying, and Width/Height stay 0 (Fps 25)
    /// until the first success (<see cref="WaitUntilOpen"/> waits for it); pass <paramref name="isLive"/> so it reports
    /// live before that.</summary>
    /// <param name="uniform">Jitter draws in [0, 1) (tests); default shared random.</param>
    public static ReconnectingFrameSource Open(
        string name,
        Func<IFrameSource> open,
        ReconnectOptions? options = null,
        bool isLive = true,
        Func<double>? uniform = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        options ??= new ReconnectOptions();
        options.Validate();
        var source = new ReconnectingFrameSource(name, open, options, uniform, time) { IsLive = isLive };
        try
        {
            source.Attach(open());
        }
        catch (Exception ex) when (options.RetryFirstOpen && ex is not OutOfMemoryException)
        {
            source.Status.RecordFailedAttempt(ex.Message);
        }
        return source;
    }

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        stamp = default;
        while (!_ended && !_stop.IsCancellationRequested)
        {
            IFrameSource? inner = _inner;
            if (inner is null)
            {
                if (!Reopen())
                {
                    break;
                }
                continue;
            }
            if (inner.TryRead(frame, out FrameStamp innerStamp))
            {
                stamp = Restamp(innerStamp);
                if (!_readSinceOpen)
                {
                    _readSinceOpen = true;
                    _failures = 0;
                    _backoff.Reset();
                }
                Status.RecordFrame();
                return true;
            }
            bool producedFrames = _readSinceOpen;
            Detach();
            switch (_options.OnEnd)
            {
                case SourceEndAction.Loop when producedFrames:
                    _offsetSeconds = _lastSeconds + (1 / Fps);
                    break;
                case SourceEndAction.Reconnect when producedFrames || !GaveUp():
                    Status.RecordLost($"'{Name}' stopped delivering frames (closed, failed or read timed out)");
                    // A stop during the wait ends the loop through its condition.
                    Wait(_backoff.NextDelay());
                    break;
                default:
                    // End, or a loop over a source that yields nothing (would spin forever).
                    _ended = true;
                    break;
            }
        }
        Status.RecordEnded();
        return false;
    }

    /// <summary>Blocks until the source is open, so its size and frame rate are known: at once when it is, otherwise
    /// retrying with backoff as <see cref="TryRead"/> does (a camera not up yet at boot). False when it was stopped or
    /// gave up (<see cref="ReconnectOptions.MaxConsecutiveFailures"/>). Call it before reading starts.</summary>
    public bool WaitUntilOpen()
    {
        while (_inner is null)
        {
            if (_ended || _stop.IsCancellationRequested || !Reopen())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Ends a backoff wait now, makes further reads return false and reports
    /// <see cref="SourceState.Ended"/>. Thread-safe.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        Status.RecordEnded();
    }

    public void Dispose()
    {
        Stop();
        Detach();
        Status.RecordEnded();
        _stop.Dispose();
    }

    /// <summary>Counts a failed attempt (an open that failed, or one that delivered no frame); true when that reaches
    /// <see cref="ReconnectOptions.MaxConsecutiveFailures"/>.</summary>
    private bool GaveUp() => ++_failures >= (_options.MaxConsecutiveFailures ?? int.MaxValue);

    /// <summary>Opens until it works, the source is stopped or the failure limit is hit; false when it gave up.</summary>
    private bool Reopen()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Attach(_open());
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Status.RecordFailedAttempt(ex.Message);
                if (_options.OnEnd != SourceEndAction.Reconnect || GaveUp() || !Wait(_backoff.NextDelay()))
                {
                    _ended = true;
                    return false;
                }
            }
        }
        return false;
    }

    private void Attach(IFrameSource inner)
    {
        lock (_innerGate)
        {
            if (_stop.IsCancellationRequested)
            {
                inner.Dispose();
                return;
            }
            _inner = inner;
        }
        Width = inner.Width;
        Height = inner.Height;
        Fps = inner.Fps;
        IsLive = inner.IsLive;
        FrameCount = _options.OnEnd == SourceEndAction.End ? inner.FrameCount : null;
        _readSinceOpen = false;
    }

    private void Detach()
    {
        IFrameSource? inner;
        lock (_innerGate)
        {
            inner = _inner;
            _inner = null;
        }
        inner?.Dispose();
    }

    private FrameStamp Restamp(FrameStamp inner)
    {
        long index = _next++;
        double seconds = IsLive ? _clock.Stamp(index) : _offsetSeconds + inner.Seconds;
        _lastSeconds = seconds;
        return new FrameStamp(index, seconds);
    }

    /// <summary>Sleeps for <paramref name="delay"/>; false when stopped meanwhile.</summary>
    private bool Wait(TimeSpan delay)
    {
        try
        {
            return !_stop.Token.WaitHandle.WaitOne(delay);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
