using System.Numerics;
using Edge.Models;

namespace Edge.Detection;

/// <summary>Letterboxes an 8-bit BGR interleaved image straight into a planar NCHW float tensor in one pass:
/// bilinear resize with OpenCV's INTER_LINEAR sampling grid (src = (dst + 0.5) / scale - 0.5, edge-clamped, as
/// Ultralytics' <c>cv2.resize</c> does), channel reorder, scaling, and padding of the border only.
/// All tables and row buffers are sized by the model input and allocated once, so <see cref="Run"/> never allocates.
/// Not thread-safe: use one instance per slot.</summary>
public sealed class LetterboxPreprocessor
{
    private const float PadGrey = 114f;

    private readonly int[] _x0;
    private readonly int[] _x1;
    private readonly float[] _wx;
    private readonly float[] _rowA;
    private readonly float[] _rowB;
    private readonly bool _swapRb;
    private readonly float _scale;
    private readonly LetterboxAnchor _anchor;
    private int _tableSourceWidth = -1;
    private int _tableResizedWidth = -1;

    public LetterboxPreprocessor(int inputWidth, int inputHeight, PixelFormat format)
    {
        if (inputWidth <= 0 || inputHeight <= 0)
        {
            throw new EdgeException($"Preprocessing: model input size {inputWidth}x{inputHeight} must be positive.");
        }
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        Format = format;
        _swapRb = format == PixelFormat.Rgb01Centered;
        _scale = format == PixelFormat.Rgb01Centered ? 1f / 255f : 1f;
        _anchor = LetterboxTransform.AnchorFor(format);
        _x0 = new int[inputWidth];
        _x1 = new int[inputWidth];
        _wx = new float[inputWidth];
        _rowA = new float[inputWidth * 3];
        _rowB = new float[inputWidth * 3];
    }

    public int InputWidth { get; }
    public int InputHeight { get; }
    public PixelFormat Format { get; }

    /// <summary>Number of floats one image occupies in the tensor (3 * H * W).</summary>
    public int TensorLength => 3 * InputWidth * InputHeight;

    /// <summary>Writes the letterboxed image into <paramref name="chw"/> (length 3*H*W) and returns the transform.</summary>
    /// <param name="bgr">Interleaved BGR bytes; row y starts at y * <paramref name="stride"/>.</param>
    public unsafe LetterboxTransform Run(ReadOnlySpan<byte> bgr, int width, int height, int stride, Span<float> chw)
    {
        if (stride < width * 3 || bgr.Length < (long)stride * (height - 1) + width * 3)
        {
            throw new EdgeException($"Preprocessing: a {width}x{height} BGR image needs stride >= {width * 3} and {stride * (height - 1) + width * 3} bytes; got stride {stride}, {bgr.Length} bytes.");
        }
        if (chw.Length < TensorLength)
        {
            throw new ArgumentException($"Tensor span holds {chw.Length} floats; {TensorLength} needed.", nameof(chw));
        }
        var t = LetterboxTransform.Create(width, height, InputWidth, InputHeight, _anchor);
        int plane = InputWidth * InputHeight;
        float pad = PadGrey * _scale;
        FillBorder(chw, t, pad);
        BuildXTable(width, t.ResizedWidth);

        // The exact ratio of the two sizes, as cv2.resize uses (not the letterbox gain).
        double scaleY = (double)height / t.ResizedHeight;
        int rw = t.ResizedWidth;
        int cachedA = -1, cachedB = -1;
        fixed (byte* src = bgr)
        fixed (float* dst = chw)
        fixed (float* rowA0 = _rowA)
        fixed (float* rowB0 = _rowB)
        {
            float* rowA = rowA0, rowB = rowB0;
            // Output plane p takes source channel p (BGR) or 2-p (RGB).
            float* p0 = dst + (_swapRb ? 2 : 0) * plane;
            float* p1 = dst + plane;
            float* p2 = dst + (_swapRb ? 0 : 2) * plane;
            for (int dy = 0; dy < t.ResizedHeight; dy++)
            {
                (int sy, float wy) = SourceSample(dy, scaleY, height);
                int sy1 = Math.Min(sy + 1, height - 1);

                // Horizontal pass for the two source rows, reusing rows the previous output row already resampled.
                if (cachedA != sy)
                {
                    if (cachedB == sy)
                    {
                        float* tmp = rowA;
                        rowA = rowB;
                        rowB = tmp;
                        cachedB = cachedA;
                        cachedA = sy;
                    }
                    else
                    {
                        ResampleRow(src + (long)sy * stride, rowA, rw);
                        cachedA = sy;
                    }
                }
                if (wy != 0f && cachedB != sy1)
                {
                    ResampleRow(src + (long)sy1 * stride, rowB, rw);
                    cachedB = sy1;
                }

                int o = (t.PadY + dy) * InputWidth + t.PadX;
                int iw = InputWidth;
                float s = _scale;
                if (wy == 0f)
                {
                    Scale(rowA, p0 + o, rw, s);
                    Scale(rowA + iw, p1 + o, rw, s);
                    Scale(rowA + 2 * iw, p2 + o, rw, s);
                }
                else
                {
                    float wa = (1f - wy) * s, wb = wy * s;
                    Blend(rowA, rowB, p0 + o, rw, wa, wb);
                    Blend(rowA + iw, rowB + iw, p1 + o, rw, wa, wb);
                    Blend(rowA + 2 * iw, rowB + 2 * iw, p2 + o, rw, wa, wb);
                }
            }
        }
        return t;
    }

    private unsafe void ResampleRow(byte* row, float* outRow, int resizedWidth)
    {
        fixed (int* x0 = _x0)
        fixed (int* x1 = _x1)
        fixed (float* wx = _wx)
        {
            // Planar output (B row, G row, R row) so the vertical pass is three contiguous SIMD blends.
            float* c0 = outRow, c1 = outRow + InputWidth, c2 = outRow + 2 * InputWidth;
            for (int dx = 0; dx < resizedWidth; dx++)
            {
                byte* a = row + x0[dx];
                byte* b = row + x1[dx];
                float w = wx[dx];
                c0[dx] = a[0] + (b[0] - a[0]) * w;
                c1[dx] = a[1] + (b[1] - a[1]) * w;
                c2[dx] = a[2] + (b[2] - a[2]) * w;
            }
        }
    }

    private static unsafe void Scale(float* a, float* dst, int n, float s)
    {
        int i = 0;
        var vs = new Vector<float>(s);
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Store(Vector.Load(a + i) * vs, dst + i);
        }
        for (; i < n; i++)
        {
            dst[i] = a[i] * s;
        }
    }

    private static unsafe void Blend(float* a, float* b, float* dst, int n, float wa, float wb)
    {
        int i = 0;
        var va = new Vector<float>(wa);
        var vb = new Vector<float>(wb);
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Store(Vector.Load(a + i) * va + Vector.Load(b + i) * vb, dst + i);
        }
        for (; i < n; i++)
        {
            dst[i] = a[i] * wa + b[i] * wb;
        }
    }

    private void BuildXTable(int sourceWidth, int resizedWidth)
    {
        if (sourceWidth == _tableSourceWidth && resizedWidth == _tableResizedWidth)
        {
            return;
        }
        double scaleX = (double)sourceWidth / resizedWidth;
        for (int dx = 0; dx < resizedWidth; dx++)
        {
            (int sx, float w) = SourceSample(dx, scaleX, sourceWidth);
            _x0[dx] = sx * 3;
            _x1[dx] = Math.Min(sx + 1, sourceWidth - 1) * 3;
            _wx[dx] = w;
        }
        _tableSourceWidth = sourceWidth;
        _tableResizedWidth = resizedWidth;
    }

    /// <summary>Bilinear sampling of output pixel <paramref name="d"/> (pixel centres aligned, as cv::resize
    /// INTER_LINEAR): the first source pixel and the weight of the next, clamped to the edge.</summary>
    private static (int Index, float Weight) SourceSample(int d, double scale, int size)
    {
        double f = ((d + 0.5) * scale) - 0.5;
        int i = (int)Math.Floor(f);
        float w = (float)(f - i);
        if (i < 0)
        {
            return (0, 0f);
        }
        return i >= size - 1 ? (size - 1, 0f) : (i, w);
    }

    /// <summary>Writes the pad value only where the image does not land: full rows above/below, strips left/right.</summary>
    private void FillBorder(Span<float> chw, in LetterboxTransform t, float pad)
    {
        int w = InputWidth, h = InputHeight, plane = w * h;
        int right = t.PadX + t.ResizedWidth;
        int bottom = t.PadY + t.ResizedHeight;
        for (int c = 0; c < 3; c++)
        {
            Span<float> p = chw.Slice(c * plane, plane);
            p[..(t.PadY * w)].Fill(pad);
            p[(bottom * w)..].Fill(pad);
            if (t.PadX > 0 || right < w)
            {
                for (int y = t.PadY; y < bottom; y++)
                {
                    Span<float> row = p.Slice(y * w, w);
                    row[..t.PadX].Fill(pad);
                    row[right..].Fill(pad);
                }
            }
        }
    }
}
