namespace Edge.Evaluation;

/// <summary>One frame after preprocessing: contiguous gt and tracker ids and their IoU matrix (row-major, gt × tracker).</summary>
internal sealed class PreparedFrame(int[] gtIds, int[] trackerIds, double[] similarity)
{
    public int[] GtIds { get; } = gtIds;

    public int[] TrackerIds { get; } = trackerIds;

    public double[] Similarity { get; } = similarity;
}

/// <summary>A sequence ready for the metrics, the equivalent of TrackEval's preprocessed <c>data</c> dict: ids
/// relabelled to 0..N-1 so the metrics index arrays directly.</summary>
internal sealed class PreparedSequence(PreparedFrame[] frames, int gtIdCount, int trackerIdCount)
{
    public PreparedFrame[] Frames { get; } = frames;

    public int GtIdCount { get; } = gtIdCount;

    public int TrackerIdCount { get; } = trackerIdCount;

    public int GtDetectionCount { get; } = frames.Sum(f => f.GtIds.Length);

    public int TrackerDetectionCount { get; } = frames.Sum(f => f.TrackerIds.Length);
}
