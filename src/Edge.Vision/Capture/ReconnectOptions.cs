namespace Edge.Capture;

/// <summary>Settings of <see cref="ReconnectingFrameSource"/>.</summary>
public sealed record ReconnectOptions
{
    public SourceEndAction OnEnd { get; init; } = SourceEndAction.Reconnect;

    public BackoffOptions Backoff { get; init; } = new();

    /// <summary>When the very first open fails: false throws (a typo in a path or URL should fail fast in the CLI);
    /// true keeps retrying with backoff (a service started before its camera).</summary>
    public bool RetryFirstOpen { get; init; }

    /// <summary>Give up after this many consecutive failed attempts (null: never): opens that fail and opens that deliver
    /// no frame before failing (a stream that connects but sends nothing); the source then ends.</summary>
    public int? MaxConsecutiveFailures { get; init; }

    public void Validate()
    {
        Backoff.Validate();
        if (MaxConsecutiveFailures is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConsecutiveFailures), MaxConsecutiveFailures, "must be at least 1 or null");
        }
    }
}
