namespace Edge.Appearance;

/// <summary>The few vector operations appearance code shares: embeddings and colour histograms are compared as
/// L2-normalised vectors, so cosine similarity is a dot product (BoT-SORT, arXiv 2206.14651).</summary>
public static class UnitVector
{
    /// <summary>Scales <paramref name="v"/> to unit length in place; an all-zero vector stays zero.</summary>
    public static void Normalize(Span<float> v)
    {
        float sum = 0f;
        foreach (float x in v)
        {
            sum += x * x;
        }
        if (sum > 0f)
        {
            float inv = 1f / MathF.Sqrt(sum);
            for (int i = 0; i < v.Length; i++)
            {
                v[i] *= inv;
            }
        }
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float dot = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /// <summary>False for an all-zero row, the convention for "no appearance for this box".</summary>
    public static bool HasSignal(ReadOnlySpan<float> v)
    {
        foreach (float x in v)
        {
            if (x != 0f)
            {
                return true;
            }
        }
        return false;
    }
}
