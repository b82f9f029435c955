namespace Edge.Capture;

/// <summary>A live view of a frame source for health checks and metrics. Every member is safe to read from any
/// thread while the source runs; values are snapshots (read <see cref="Snapshot"/> for a consistent set).</summary>
public interface ISourceStatus
{
    /// <summary>The source string (path, URL, camera or pipeline).</summary>
    string Name { get; }

    SourceState State { get; }

    /// <summary>Times the source was lost and a reconnect began (each outage counts once, however many attempts it
    /// took).</summary>
    long Reconnects { get; }

    /// <summary>Failed open attempts, all outages together.</summary>
    long FailedAttempts { get; }

    /// <summary>Frames read from the source.</summary>
    long FramesRead { get; }

    /// <summary>Frames read but never processed: a newer frame replaced them before the pipeline was free.</summary>
    long FramesDropped { get; }

    /// <summary>Why the source was last lost or failed to open; null while it never failed.</summary>
    string? LastError { get; }

    SourceStatusSnapshot Snapshot();
}

/// <summary>A consistent copy of <see cref="ISourceStatus"/>. <paramref name="LastFrameAt"/> is null before the
/// first frame.</summary>
public readonly record struct SourceStatusSnapshot(
    string Name,
    SourceState State,
    long Reconnects,
    long FailedAttempts,
    long FramesRead,
    long FramesDropped,
    string? LastError,
    DateTimeOffset? LastFrameAt);
