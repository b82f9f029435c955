namespace Edge.Tracking;

/// <summary>Life cycle of a track (ByteTrack, arXiv 2110.06864, section 3 and its reference STrack).</summary>
public enum TrackState
{
    /// <summary>Started from one detection, not yet confirmed by a second match.</summary>
    Tentative,
    /// <summary>Matched in consecutive frames; reported to users.</summary>
    Confirmed,
    /// <summary>Unmatched recently; kept (and predicted) for the track buffer, not reported as a box.</summary>
    Lost,
    /// <summary>Gone for good.</summary>
    Removed,
}
