namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Output</c>: the per-frame files <c>edge run</c> writes besides the event log. Each file
/// name is optional (empty: not written) and relative to <see cref="Directory"/>. All are flushed and closed on
/// SIGTERM.</summary>
public sealed class OutputOptions
{
    public const string Section = "Edge:Output";

    public string? Directory { get; set; }

    /// <summary>Per-frame detections, tracks and follow state as JSON lines (same format as <c>edge follow --out</c>).</summary>
    public string? Detections { get; set; }

    /// <summary>MOTChallenge results (frame,id,x,y,w,h,score,-1,-1,-1).</summary>
    public string? Mot { get; set; }

    /// <summary>Annotated video, .mp4 (mp4v) or .avi (MJPG).</summary>
    public string? Video { get; set; }

    /// <summary>Roll the annotated video into a new file every this many seconds of video (0: one file), so a
    /// service that runs for weeks records in bounded files.</summary>
    public double VideoSegmentSeconds { get; set; }

    /// <summary>With segments, how many of the newest files to keep (0: keep all).</summary>
    public int VideoSegmentsKeep { get; set; }

    /// <summary>The rolling-segment settings for the annotated video, or null for a single file.</summary>
    public Edge.Sinks.VideoSegmentOptions? VideoSegments() => VideoSegmentSeconds > 0
        ? new Edge.Sinks.VideoSegmentOptions
        {
            Length = TimeSpan.FromSeconds(VideoSegmentSeconds),
            Keep = VideoSegmentsKeep > 0 ? VideoSegmentsKeep : null,
        }
        : null;

    /// <summary>Recording of the frames processed, before drawing (lossless FFV1 .avi or .mkv, plus a
    /// <c>.frames.csv</c> sidecar), for replay with <c>edge regress --source</c>.</summary>
    public string? Record { get; set; }

    /// <summary>Full path of an output file, or null when it is not configured.</summary>
    public string? PathOf(string? file) =>
        string.IsNullOrWhiteSpace(file) ? null
        : Path.IsPathRooted(file) || string.IsNullOrWhiteSpace(Directory) ? file
        : Path.Combine(Directory, file);
}
