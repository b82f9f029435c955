namespace Edge.Appearance;

/// <summary>Settings of <see cref="ClassificationAnalyzer"/>.</summary>
public sealed record ClassificationOptions
{
    /// <summary>Detector class ids whose tracks are classified (empty = all classes).</summary>
    public IReadOnlyList<int> Classes { get; init; } = [0];

    /// <summary>A track is classified at most once every this many frames.</summary>
    public int EveryFrames { get; init; } = 5;

    /// <summary>Observations a track needs before its smoothed label is shown.</summary>
    public int MinVotes { get; init; } = 3;

    /// <summary>Most crops classified per frame (the rest wait for a later frame, oldest first).</summary>
    public int Budget { get; init; } = 8;

    public void Validate()
    {
        if (EveryFrames < 1 || MinVotes < 1 || Budget < 1)
        {
            throw new EdgeException($"Classification: every {EveryFrames}, min votes {MinVotes} and budget {Budget} must be at least 1.");
        }
    }
}
