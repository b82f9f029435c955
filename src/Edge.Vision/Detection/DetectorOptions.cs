namespace Edge.Detection;

/// <summary>TensorRT execution provider settings (ORT <c>OrtTensorRTProviderOptions</c>).</summary>
public sealed record TensorRtOptions
{
    public bool Fp16 { get; init; } = true;
    /// <summary>Folder for serialised engines; building an engine takes minutes on a Jetson, so cache it. Null disables the cache.</summary>
    public string? EngineCacheDir { get; init; } = "trt-cache";
    public int WorkspaceMb { get; init; } = 1024;
}

/// <summary>CUDA execution provider settings.</summary>
public sealed record CudaOptions
{
    public int DeviceId { get; init; }
}

/// <summary>Detector settings, bindable from configuration ("Detector" section). Thresholds default to Ultralytics'
/// predict defaults (conf 0.25, iou 0.7, max_det 300; ultralytics/cfg/default.yaml).</summary>
public sealed record DetectorOptions
{
    public static readonly IReadOnlyList<string> SupportedProviders = ["TensorRT", "CUDA", "CPU"];

    /// <summary>Model name (looked up by <see cref="Models.ModelResolver"/>) or path.</summary>
    public string Model { get; init; } = "yolov8n_w8dq";
    public float ScoreThreshold { get; init; } = 0.25f;
    public float IouThreshold { get; init; } = 0.7f;
    /// <summary>Class names or ids to keep; empty keeps all.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
    public int MaxDetections { get; init; } = 300;
    /// <summary>Execution providers in order of preference; empty means ["CPU"]. (Empty rather than a filled default because
    /// the configuration binder appends bound items to a pre-filled list.)</summary>
    public IReadOnlyList<string> Providers { get; init; } = [];
    /// <summary>ORT intra-op threads; 0 keeps ORT's default (one per physical core).</summary>
    public int IntraOpThreads { get; init; }
    /// <summary>Let ORT's intra-op threads spin-wait after a run (ORT default, <c>session.intra_op.allow_spinning</c>).
    /// Spinning lowers latency on an idle machine but can steal the cores that preprocess/postprocess other frames when
    /// pipeline stages overlap on a small CPU; its effect could not be measured on the loaded 2-core dev VM.</summary>
    public bool AllowSpinning { get; init; } = true;
    public TensorRtOptions TensorRt { get; init; } = new();
    public CudaOptions Cuda { get; init; } = new();

    public IReadOnlyList<string> EffectiveProviders => Providers.Count == 0 ? ["CPU"] : Providers;

    /// <summary>Throws an <see cref="EdgeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new EdgeException("Detector:Model is empty; give a model name such as yolov8n_w8dq or a path to an .onnx file.");
        }
        if (!(ScoreThreshold >= 0f && ScoreThreshold < 1f))
        {
            throw new EdgeException($"Detector:ScoreThreshold must be in [0, 1); got {ScoreThreshold}.");
        }
        if (!(IouThreshold > 0f && IouThreshold <= 1f))
        {
            throw new EdgeException($"Detector:IouThreshold must be in (0, 1]; got {IouThreshold}.");
        }
        if (MaxDetections < 1)
        {
            throw new EdgeException($"Detector:MaxDetections must be at least 1; got {MaxDetections}.");
        }
        if (IntraOpThreads < 0)
        {
            throw new EdgeException($"Detector:IntraOpThreads must be 0 (ORT default) or positive; got {IntraOpThreads}.");
        }
        foreach (string p in Providers)
        {
            if (ExecutionProviderSelector.Canonical(p) is null)
            {
                throw new EdgeException($"Detector:Providers has '{p}'; accepted: {string.Join(", ", SupportedProviders)}.");
            }
        }
        if (TensorRt.WorkspaceMb < 1)
        {
            throw new EdgeException($"Detector:TensorRt:WorkspaceMb must be positive; got {TensorRt.WorkspaceMb}.");
        }
        if (Cuda.DeviceId < 0)
        {
            throw new EdgeException($"Detector:Cuda:DeviceId must be >= 0; got {Cuda.DeviceId}.");
        }
    }
}
