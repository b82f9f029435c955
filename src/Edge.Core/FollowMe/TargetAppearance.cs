using Edge.Appearance;

namespace Edge.FollowMe;

/// <summary>The target's exponentially averaged appearance vector (re-id embedding or colour histogram), kept
/// L2-normalised so similarity is a dot product (cosine), as in BoT-SORT's appearance state (arXiv 2206.14651,
/// section 3.4, EMA with momentum 0.9).</summary>
public sealed class TargetAppearance
{
    private float[] _mean = [];

    public bool HasValue { get; private set; }

    public int Dimension => HasValue ? _mean.Length : 0;

    /// <summary>Observations blended in since the last <see cref="Clear"/>.</summary>
    public int Views { get; private set; }

    public void Clear()
    {
        HasValue = false;
        Views = 0;
    }

    /// <summary>Blends in one observation (ignored when it is all zeros or its length differs).</summary>
    public void Update(ReadOnlySpan<float> observation, float rate)
    {
        if (observation.IsEmpty || !UnitVector.HasSignal(observation))
        {
            return;
        }
        Views = HasValue && _mean.Length == observation.Length ? Views + 1 : 1;
        if (!HasValue || _mean.Length != observation.Length)
        {
            if (_mean.Length != observation.Length)
            {
                _mean = new float[observation.Length];
            }
            observation.CopyTo(_mean);
            UnitVector.Normalize(_mean);
            HasValue = true;
            return;
        }
        for (int i = 0; i < _mean.Length; i++)
        {
            _mean[i] = (1f - rate) * _mean[i] + rate * observation[i];
        }
        UnitVector.Normalize(_mean);
    }

    /// <summary>Cosine similarity with an observation, or NaN when either is unknown.</summary>
    public float Similarity(ReadOnlySpan<float> observation)
    {
        if (!HasValue || observation.Length != _mean.Length || !UnitVector.HasSignal(observation))
        {
            return float.NaN;
        }
        float dot = 0f, norm = 0f;
        for (int i = 0; i < _mean.Length; i++)
        {
            dot += _mean[i] * observation[i];
            norm += observation[i] * observation[i];
        }
        return dot / MathF.Sqrt(norm);
    }
}
