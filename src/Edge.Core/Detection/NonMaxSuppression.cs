namespace Edge.Detection;

/// <summary>Greedy class-aware non-maximum suppression: visit boxes by descending score and keep a box unless it
/// overlaps an already kept box of the same class with IoU &gt; the threshold (torchvision <c>batched_nms</c>
/// semantics, which Ultralytics uses). Equal scores keep input order, so results are deterministic.
/// Allocation-free: the caller provides the scratch.</summary>
public static class NonMaxSuppression
{
    /// <param name="candidates">Boxes to filter (not modified).</param>
    /// <param name="sortScratch">At least <c>candidates.Length</c> longs.</param>
    /// <param name="keep">Receives indices into <paramref name="candidates"/> of kept boxes, best first; its length
    /// caps the number kept (pass a slice of length max detections).</param>
    /// <returns>Number of indices written to <paramref name="keep"/>.</returns>
    public static int Run(ReadOnlySpan<Detection> candidates, float iouThreshold, Span<long> sortScratch, Span<int> keep)
    {
        int n = candidates.Length;
        if (n == 0 || keep.IsEmpty)
        {
            return 0;
        }
        if (sortScratch.Length < n)
        {
            throw new ArgumentException($"Sort scratch holds {sortScratch.Length}; {n} needed.", nameof(sortScratch));
        }
        // One key per box: a descending score rank in the high 32 bits and the index in the low bits, so a plain
        // ascending sort of unique keys orders by score and breaks ties by index (a stable order without a comparer).
        Span<long> keys = sortScratch[..n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = ((long)DescendingRank(candidates[i].Score) << 32) | (uint)i;
        }
        keys.Sort();

        int kept = 0;
        for (int k = 0; k < n && kept < keep.Length; k++)
        {
            int i = (int)(keys[k] & 0xFFFFFFFF);
            ref readonly Detection d = ref candidates[i];
            bool suppressed = false;
            for (int j = 0; j < kept; j++)
            {
                ref readonly Detection other = ref candidates[keep[j]];
                if (other.ClassId == d.ClassId && other.Box.IoU(d.Box) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed)
            {
                keep[kept++] = i;
            }
        }
        return kept;
    }

    /// <summary>Maps a float to an int that sorts ascending as the float sorts descending (NaN last).</summary>
    private static int DescendingRank(float score)
    {
        if (float.IsNaN(score))
        {
            return int.MaxValue;
        }
        int bits = BitConverter.SingleToInt32Bits(score);
        // Total order on IEEE floats: flip the magnitude bits of negatives, then negate for descending.
        int ordered = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return -ordered - 1;
    }
}
