namespace Edge.Capture;

/// <summary>Where a frame source is in its life.</summary>
public enum SourceState
{
    /// <summary>Opening for the first time.</summary>
    Connecting,

    /// <summary>Delivering frames.</summary>
    Streaming,

    /// <summary>Lost (read failed or timed out, or open failed); waiting out a backoff delay or reopening.</summary>
    Reconnecting,

    /// <summary>Finished: a file reached its end, or the source was stopped. No more frames.</summary>
    Ended,
}
