namespace Edge.Appearance;

/// <summary>What Follow Me needs from the appearance stage on the next frame: its target's track id (0 when none)
/// and whether the target is lost and being searched for, in which case every person is a re-acquisition candidate.
/// Written by the Follow Me analyzer after each frame, read by the tracking analyzer on the next; both run on the
/// pipeline's analysis thread.</summary>
public sealed class AppearanceDemand
{
    public int TargetTrackId { get; set; }

    public bool Searching { get; set; }
}
