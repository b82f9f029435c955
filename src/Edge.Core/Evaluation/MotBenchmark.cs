namespace Edge.Evaluation;

/// <summary>Which MOTChallenge rules preprocess a sequence before scoring (TrackEval
/// <c>datasets/mot_challenge_2d_box.py</c>).</summary>
public enum MotBenchmark
{
    /// <summary>2D MOT 2015: only ground-truth boxes flagged 0 are dropped; no classes, no distractor matching.</summary>
    Mot15,

    /// <summary>MOT16/MOT17: tracker boxes matched to distractor classes (2, 7, 8, 12) are removed, then only
    /// flagged pedestrian (class 1) ground truth is kept.</summary>
    Mot17,

    /// <summary>MOT20: as MOT17, with non-motorised vehicles (class 6) also a distractor.</summary>
    Mot20,
}
