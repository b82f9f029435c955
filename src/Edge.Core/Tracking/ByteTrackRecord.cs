using Edge.Appearance;
using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>One pooled track of <see cref="ByteTracker"/> (ByteTrack's <c>STrack</c>). Reused after removal, so
/// nothing is allocated per frame once the pool has grown to the scene's size.</summary>
internal sealed class ByteTrackRecord
{
    public int Id;
    public KalmanBoxState Kalman;

    /// <summary>Filter state right after the last real update (OC-SORT ORU replays from here).</summary>
    public KalmanBoxState LastUpdateKalman;
    public BoxF LastObservation;

    /// <summary>Recent observations and their direction (OC-SORT OCM).</summary>
    public ObservationMomentum Momentum;

    /// <summary>True for ByteTrack's "Tracked", false for lost.</summary>
    public bool IsTracked;

    /// <summary>ByteTrack's <c>is_activated</c>: false only for a track started after frame 1 and not yet
    /// matched a second time (tentative).</summary>
    public bool IsActivated;
    public int LastUpdateFrame;
    public int StartFrame;
    public float Score;
    public int ClassId;
    public int DetectionIndex;

    /// <summary>Lost longer than the buffer (ByteTrack's <c>mark_removed</c> on a lost track).</summary>
    public bool Expired;

    /// <summary>Scratch flags for one update (list membership without hash sets).</summary>
    public bool Flag;

    public float[] Embedding = [];
    public bool HasEmbedding;

    public TrackState State => !IsTracked ? TrackState.Lost : IsActivated ? TrackState.Confirmed : TrackState.Tentative;

    public void SetEmbedding(ReadOnlySpan<float> feature, float momentum)
    {
        if (Embedding.Length != feature.Length)
        {
            Embedding = new float[feature.Length];
            HasEmbedding = false;
        }
        if (!HasEmbedding)
        {
            feature.CopyTo(Embedding);
            HasEmbedding = true;
        }
        else
        {
            // BoT-SORT update_features: e = a e + (1 - a) f, then L2-normalised.
            for (int i = 0; i < Embedding.Length; i++)
            {
                Embedding[i] = (momentum * Embedding[i]) + ((1 - momentum) * feature[i]);
            }
        }
        UnitVector.Normalize(Embedding);
    }
}
