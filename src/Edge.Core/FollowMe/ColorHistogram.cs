using Edge.Geometry;

namespace Edge.FollowMe;

/// <summary>A colour appearance vector of a person box for the lock when no re-id model is configured: a joint
/// 4x4x4 histogram of the 8-bit BGR pixels of the box's torso-and-legs core (the central 60 % of its width, 10 % to
/// 90 % of its height, which keeps most background out). The vector holds the square roots of the normalised bin
/// counts, so it has unit length and the dot product of two vectors is their Bhattacharyya coefficient.</summary>
public static class ColorHistogram
{
    public const int BinsPerChannel = 4;
    public const int Dimension = BinsPerChannel * BinsPerChannel * BinsPerChannel;

    /// <summary>Fills <paramref name="output"/> (length <see cref="Dimension"/>) from an interleaved BGR image;
    /// all zeros when the box core holds no pixel.</summary>
    public static void Compute(ReadOnlySpan<byte> bgr, int width, int height, int stride, in BoxF box, Span<float> output)
    {
        if (output.Length != Dimension)
        {
            throw new ArgumentException($"Histogram output needs {Dimension} floats, got {output.Length}.", nameof(output));
        }
        if (width <= 0 || height <= 0 || stride < width * 3 || bgr.Length < (height - 1) * stride + width * 3)
        {
            throw new ArgumentException($"Image buffer of {bgr.Length} bytes does not hold {width}x{height} BGR pixels with stride {stride}.", nameof(bgr));
        }
        output.Clear();
        int x1 = Math.Clamp((int)(box.X1 + 0.2f * box.Width), 0, width);
        int x2 = Math.Clamp((int)(box.X2 - 0.2f * box.Width), 0, width);
        int y1 = Math.Clamp((int)(box.Y1 + 0.1f * box.Height), 0, height);
        int y2 = Math.Clamp((int)(box.Y2 - 0.1f * box.Height), 0, height);
        const int shift = 6; // 256 / 4 bins
        int count = 0;
        for (int y = y1; y < y2; y++)
        {
            ReadOnlySpan<byte> row = bgr.Slice(y * stride, width * 3);
            for (int x = x1; x < x2; x++)
            {
                int b = row[3 * x] >> shift, g = row[3 * x + 1] >> shift, r = row[3 * x + 2] >> shift;
                output[(b * BinsPerChannel + g) * BinsPerChannel + r] += 1f;
                count++;
            }
        }
        if (count == 0)
        {
            return;
        }
        float inv = 1f / count;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = MathF.Sqrt(output[i] * inv);
        }
    }
}
