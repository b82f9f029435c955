using System.Numerics;
using Edge.Geometry;

namespace Edge.Detection;

/// <summary>Ultralytics YOLOv8/YOLO11 detect head, output [B, 4+nc, N]: rows 0-3 are cx, cy, w, h in input pixels,
/// rows 4.. are sigmoid class scores, no objectness. Score = best class score (Ultralytics
/// <c>non_max_suppression</c>, multi_label=False). With a class filter the best score among the allowed classes is
/// used, so a person scored just below "car" still appears when only persons are requested.</summary>
public sealed class UltralyticsDecoder : IDetectionDecoder
{
    private readonly float[] _best;
    private readonly int[] _bestClass;

    public UltralyticsDecoder(int numClasses, int numAnchors)
    {
        if (numClasses < 1 || numAnchors < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), $"Ultralytics layout needs nc >= 1 and N >= 1 (got nc={numClasses}, N={numAnchors}).");
        }
        NumClasses = numClasses;
        NumAnchors = numAnchors;
        _best = new float[numAnchors];
        _bestClass = new int[numAnchors];
    }

    public int NumClasses { get; }
    public int NumAnchors { get; }
    public int MaxCandidates => NumAnchors;
    public int OutputLength => (4 + NumClasses) * NumAnchors;
    public bool NeedsNms => true;

    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, ReadOnlySpan<bool> classMask, DetectionBuffer candidates)
    {
        int n = NumAnchors;
        if (output.Length < OutputLength)
        {
            throw new ArgumentException($"Ultralytics output holds {output.Length} floats; (4+{NumClasses})*{n} expected.", nameof(output));
        }
        // Class-major memory: sweep each class row contiguously with SIMD, keeping a running best per anchor.
        Span<float> best = _best;
        Span<int> bestClass = _bestClass;
        best.Fill(float.NegativeInfinity);
        for (int c = 0; c < NumClasses; c++)
        {
            if (!classMask.IsEmpty && (c >= classMask.Length || !classMask[c]))
            {
                continue;
            }
            ReadOnlySpan<float> row = output.Slice((4 + c) * n, n);
            int i = 0;
            var vc = new Vector<int>(c);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var r = new Vector<float>(row[i..]);
                var b = new Vector<float>(best[i..]);
                Vector<int> greater = Vector.GreaterThan(r, b);
                Vector.ConditionalSelect(greater, r, b).CopyTo(best[i..]);
                Vector.ConditionalSelect(greater, vc, new Vector<int>(bestClass[i..])).CopyTo(bestClass[i..]);
            }
            for (; i < n; i++)
            {
                if (row[i] > best[i])
                {
                    best[i] = row[i];
                    bestClass[i] = c;
                }
            }
        }
        ReadOnlySpan<float> cx = output[..n], cy = output.Slice(n, n), w = output.Slice(2 * n, n), h = output.Slice(3 * n, n);
        for (int i = 0; i < n; i++)
        {
            if (best[i] > scoreThreshold)
            {
                candidates.Add(new Detection(BoxF.FromCenter(cx[i], cy[i], w[i], h[i]), best[i], bestClass[i]));
            }
        }
    }
}
