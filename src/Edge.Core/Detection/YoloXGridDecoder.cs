using Edge.Geometry;

namespace Edge.Detection;

/// <summary>YOLOX raw head output [B, N, 5+nc] (exported with <c>decode_in_inference=False</c>): rows in grid order
/// for strides 8, 16, 32, each row x = (o0 + gx)·s, y = (o1 + gy)·s, w = exp(o2)·s, h = exp(o3)·s, objectness and
/// class scores already sigmoid; score = objectness x class score (YOLOX <c>demo_postprocess</c>/<c>multiclass_nms</c>,
/// Ge et al. arXiv 2107.08430).</summary>
public sealed class YoloXGridDecoder : IDetectionDecoder
{
    /// <summary>The strides of the standard YOLOX PAFPN head.</summary>
    public static readonly int[] DefaultStrides = [8, 16, 32];

    private readonly float[] _gx;
    private readonly float[] _gy;
    private readonly float[] _stride;

    public YoloXGridDecoder(int numClasses, int inputWidth, int inputHeight, IReadOnlyList<int>? strides = null)
    {
        strides ??= DefaultStrides;
        if (numClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), $"YOLOX layout needs nc >= 1 (got {numClasses}).");
        }
        NumClasses = numClasses;
        NumAnchors = GridCount(inputWidth, inputHeight, strides);
        _gx = new float[NumAnchors];
        _gy = new float[NumAnchors];
        _stride = new float[NumAnchors];
        int k = 0;
        foreach (int s in strides)
        {
            int gw = inputWidth / s, gh = inputHeight / s;
            for (int y = 0; y < gh; y++)
            {
                for (int x = 0; x < gw; x++, k++)
                {
                    _gx[k] = x;
                    _gy[k] = y;
                    _stride[k] = s;
                }
            }
        }
    }

    public int NumClasses { get; }
    public int NumAnchors { get; }
    public int MaxCandidates => NumAnchors;
    public int OutputLength => (5 + NumClasses) * NumAnchors;
    public bool NeedsNms => true;

    /// <summary>Number of grid cells over all strides: sum of (W/s)·(H/s).</summary>
    public static int GridCount(int inputWidth, int inputHeight, IReadOnlyList<int> strides)
    {
        int n = 0;
        foreach (int s in strides)
        {
            n += inputWidth / s * (inputHeight / s);
        }
        return n;
    }

    public void Decode(ReadOnlySpan<float> output, float scoreThreshold, ReadOnlySpan<bool> classMask, DetectionBuffer candidates)
    {
        int stride = 5 + NumClasses;
        if (output.Length < OutputLength)
        {
            throw new ArgumentException($"YOLOX output holds {output.Length} floats; {NumAnchors}*(5+{NumClasses}) expected.", nameof(output));
        }
        for (int i = 0; i < NumAnchors; i++)
        {
            ReadOnlySpan<float> r = output.Slice(i * stride, stride);
            if (GridRow.TryScore(r, scoreThreshold, classMask, out float score, out int cls))
            {
                float s = _stride[i];
                float cx = (r[0] + _gx[i]) * s, cy = (r[1] + _gy[i]) * s;
                float w = MathF.Exp(r[2]) * s, h = MathF.Exp(r[3]) * s;
                candidates.Add(new Detection(BoxF.FromCenter(cx, cy, w, h), score, cls));
            }
        }
    }
}
