using Edge.Geometry;

namespace Edge.Detection;

/// <summary>End-to-end heads (YOLOv10, YOLO26, Ultralytics <c>end2end=True</c>), output [B, K, 6]: x1, y1, x2, y2 in
/// input pixels, score, class id. NMS-free (one-to-one assignment, arXiv 2405.14458), so no NMS afterwards.</summary>
public sealed class EndToEndDecoder : IDetectionDecoder
{
    public EndToEndDecoder(int numClasses, int maxDetections)
    {
        if (maxDetections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDetections), $"End-to-end layout needs K >= 1 (got {maxDetections}).");
        }
        NumClasses = numClasses;
        MaxDetections = maxDetections;
    }

    public int NumClasses { get; }
    public int MaxDetections { get; }
    public int MaxCandidates => MaxDetections;
    public int OutputLength => 6 * MaxDetections;
    public bool NeedsNms => false;

    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, ReadOnlySpan<bool> classMask, DetectionBuffer candidates)
    {
        if (output.Length < OutputLength)
        {
            throw new ArgumentException($"End-to-end output holds {output.Length} floats; {MaxDetections}*6 expected.", nameof(output));
        }
        for (int i = 0; i < MaxDetections; i++)
        {
            ReadOnlySpan<float> r = output.Slice(i * 6, 6);
            if (!(r[4] > scoreThreshold))
            {
                continue;
            }
            int cls = (int)r[5];
            if (cls < 0 || (!classMask.IsEmpty && (cls >= classMask.Length || !classMask[cls])))
            {
                continue;
            }
            candidates.Add(new Detection(new BoxF(r[0], r[1], r[2], r[3]), r[4], cls));
        }
    }
}
