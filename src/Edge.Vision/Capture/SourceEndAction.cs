namespace Edge.Capture;

/// <summary>What <see cref="ReconnectingFrameSource"/> does when its source stops delivering.</summary>
public enum SourceEndAction
{
    /// <summary>Report the end (files, folders).</summary>
    End,

    /// <summary>Reopen at once and continue with increasing timestamps (<c>--loop</c> over a file).</summary>
    Loop,

    /// <summary>Count an outage and reopen with exponential backoff (cameras, streams).</summary>
    Reconnect,
}
