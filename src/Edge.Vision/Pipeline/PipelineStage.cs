namespace Edge.Pipeline;

/// <summary>The timed stages of <see cref="DetectionPipeline"/>, in frame order.</summary>
public enum PipelineStage
{
    Decode,
    Preprocess,
    Inference,
    Postprocess,
    Analysis,
    Sinks,
}
