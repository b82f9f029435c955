namespace Edge.FollowMe;

/// <summary>State of the Follow Me target lock.</summary>
public enum FollowState
{
    /// <summary>No target selected (or a selection is waiting for its person to appear).</summary>
    Idle,
    /// <summary>The target is seen this frame: a tracker track is matched to it.</summary>
    Locked,
    /// <summary>The target is not seen; the lock coasts on its own prediction and looks for it.</summary>
    Searching,
    /// <summary>The search timed out this frame; the next update goes back to <see cref="Idle"/>.</summary>
    Lost,
}
