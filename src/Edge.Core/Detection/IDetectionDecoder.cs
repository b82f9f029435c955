namespace Edge.Detection;

/// <summary>Turns one batch item of a detector's raw output into candidate boxes in model-input pixels
/// (before NMS and before undoing the letterbox).</summary>
public interface IDetectionDecoder
{
    int NumClasses { get; }

    /// <summary>Most candidates one image can produce (the buffer capacity that never drops any).</summary>
    int MaxCandidates { get; }

    /// <summary>Floats one batch item occupies in the output tensor.</summary>
    int OutputLength { get; }

    /// <summary>Whether the boxes still need NMS (false for end-to-end models).</summary>
    bool NeedsNms { get; }

    /// <param name="output">One batch item of the output tensor.</param>
    /// <param name="scoreThreshold">Candidates need a score strictly above this (Ultralytics keeps conf &gt; conf_thres).</param>
    /// <param name="classMask">Allowed classes (index = class id); empty allows every class.</param>
    void Decode(ReadOnlySpan<float> output, float scoreThreshold, ReadOnlySpan<bool> classMask, DetectionBuffer candidates);
}
