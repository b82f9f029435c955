namespace Edge.Sinks;

/// <summary>Rolling segments for <see cref="AnnotatedVideoSink"/>: a new file every <see cref="Length"/> of source time,
/// named <c>{stem}_{index:D5}_{yyyyMMddTHHmmssZ}{ext}</c> (index from 0, UTC wall-clock time the segment opened), and
/// only the newest <see cref="Keep"/> files kept, so a service can record forever in bounded disk space.</summary>
public sealed record VideoSegmentOptions
{
    /// <summary>Source time per segment (frame timestamps, so a file run splits the same way every time).</summary>
    public TimeSpan Length { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Segments kept on disk; older ones are deleted when a new one opens (null: keep all).</summary>
    public int? Keep { get; init; }

    /// <summary>Clock for the timestamp in file names (tests inject one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public void Validate()
    {
        if (Length <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Length), Length, "must be positive");
        }
        if (Keep is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Keep), Keep, "must be at least 1 or null");
        }
    }
}
