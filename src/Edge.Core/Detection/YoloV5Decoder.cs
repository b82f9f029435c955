using Edge.Geometry;

namespace Edge.Detection;

/// <summary>YOLOv5 (anchor-based, decoded in the graph), output [B, N, 5+nc]: cx, cy, w, h in input pixels,
/// objectness, class scores. Score = objectness x class score, as in YOLOv5's <c>non_max_suppression</c>
/// (which first drops rows with objectness &lt;= conf_thres; the product can only be lower).</summary>
public sealed class YoloV5Decoder : IDetectionDecoder
{
    public YoloV5Decoder(int numClasses, int numAnchors)
    {
        if (numClasses < 1 || numAnchors < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), $"YOLOv5 layout needs nc >= 1 and N >= 1 (got nc={numClasses}, N={numAnchors}).");
        }
        NumClasses = numClasses;
        NumAnchors = numAnchors;
    }

    public int NumClasses { get; }
    public int NumAnchors { get; }
    public int MaxCandidates => NumAnchors;
    public int OutputLength => (5 + NumClasses) * NumAnchors;
    public bool NeedsNms => true;

    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, ReadOnlySpan<bool> classMask, DetectionBuffer candidates)
    {
        int stride = 5 + NumClasses;
        if (output.Length < OutputLength)
        {
            throw new ArgumentException($"YOLOv5 output holds {output.Length} floats; {NumAnchors}*(5+{NumClasses}) expected.", nameof(output));
        }
        for (int i = 0; i < NumAnchors; i++)
        {
            ReadOnlySpan<float> r = output.Slice(i * stride, stride);
            if (GridRow.TryScore(r, scoreThreshold, classMask, out float score, out int cls))
            {
                candidates.Add(new Detection(BoxF.FromCenter(r[0], r[1], r[2], r[3]), score, cls));
            }
        }
    }
}

/// <summary>Scoring of one anchor row <c>[cx, cy, w, h, objectness, class scores...]</c>, shared by the YOLOv5 and
/// YOLOX layouts.</summary>
internal static class GridRow
{
    /// <summary>Objectness x best allowed class score; false when it does not beat the threshold. Objectness is checked
    /// first: it alone rules out most rows.</summary>
    public static bool TryScore(ReadOnlySpan<float> row, float scoreThreshold, ReadOnlySpan<bool> classMask, out float score, out int classId)
    {
        float objectness = row[4];
        if (objectness <= scoreThreshold)
        {
            (score, classId) = (0f, -1);
            return false;
        }
        (score, classId) = BestClass(row[5..], classMask);
        score *= objectness;
        return score > scoreThreshold;
    }

    private static (float Score, int ClassId) BestClass(ReadOnlySpan<float> classScores, ReadOnlySpan<bool> classMask)
    {
        float best = float.NegativeInfinity;
        int cls = -1;
        for (int c = 0; c < classScores.Length; c++)
        {
            if (classScores[c] > best && (classMask.IsEmpty || (c < classMask.Length && classMask[c])))
            {
                best = classScores[c];
                cls = c;
            }
        }
        return (best, cls);
    }
}
