using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Detection;

/// <summary>Walks the preferred execution providers and appends the first one that this ONNX Runtime build offers and
/// that accepts its options. Each provider skipped gets one log line saying why; CPU is the final fallback and
/// needs no append. Pure apart from the two injected functions, so it is unit-tested without a GPU.</summary>
public sealed class ExecutionProviderSelector
{
    private static readonly Dictionary<string, string> OrtNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TensorRT"] = "TensorrtExecutionProvider",
        ["CUDA"] = "CUDAExecutionProvider",
        ["CPU"] = "CPUExecutionProvider",
    };

    private readonly IReadOnlyCollection<string> _available;
    private readonly ILogger _logger;

    /// <param name="availableProviders">What <c>OrtEnv.Instance().GetAvailableProviders()</c> returns
    /// (e.g. "CUDAExecutionProvider").</param>
    public ExecutionProviderSelector(IReadOnlyCollection<string> availableProviders, ILogger logger)
    {
        _available = availableProviders;
        _logger = logger;
    }

    /// <summary>"TensorRT", "CUDA" or "CPU" for an accepted spelling (case-insensitive, ORT names too), else null.</summary>
    public static string? Canonical(string provider)
    {
        foreach ((string shortName, string ortName) in OrtNames)
        {
            if (string.Equals(provider, shortName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(provider, ortName, StringComparison.OrdinalIgnoreCase))
            {
                return shortName;
            }
        }
        return null;
    }

    /// <param name="preferences">Ordered provider names ("TensorRT", "CUDA", "CPU").</param>
    /// <param name="tryAppend">Appends the named provider ("TensorRT" or "CUDA") to the session options; throws if it cannot.</param>
    /// <returns>The provider chosen: "TensorRT", "CUDA" or "CPU".</returns>
    public string Select(IReadOnlyList<string> preferences, Action<string> tryAppend)
    {
        for (int i = 0; i < preferences.Count; i++)
        {
            string name = Canonical(preferences[i])
                ?? throw new EdgeException($"Unknown execution provider '{preferences[i]}'; accepted: {string.Join(", ", OrtNames.Keys)}.");
            if (name == "CPU")
            {
                return name;
            }
            string next = i + 1 < preferences.Count ? Canonical(preferences[i + 1]) ?? preferences[i + 1] : "CPU";
            if (!_available.Contains(OrtNames[name]))
            {
                _logger.LogWarning(
                    "Execution provider {Provider} is not available in this ONNX Runtime build (available: {Available}); falling back to {Next}.",
                    name, string.Join(", ", _available), next);
                continue;
            }
            try
            {
                tryAppend(name);
                return name;
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or EdgeException or InvalidOperationException)
            {
                _logger.LogWarning("Execution provider {Provider} failed to initialise ({Reason}); falling back to {Next}.", name, ex.Message, next);
            }
        }
        return "CPU";
    }

    /// <summary>ORT TensorRT provider settings: device, fp16, workspace and, when <paramref name="engineDirectory"/> is
    /// given (the <see cref="TensorRtEngineCache"/> entry for this model and device), the engine and timing caches in it.
    /// The timing cache sits beside the engines so a rebuilt entry starts clean and a valid entry is never rewritten.</summary>
    public static Dictionary<string, string> TensorRtSettings(DetectorOptions options, string? engineDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = options.Cuda.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = options.TensorRt.Fp16 ? "1" : "0",
            ["trt_max_workspace_size"] = ((long)options.TensorRt.WorkspaceMb * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (engineDirectory is not null)
        {
            settings["trt_engine_cache_enable"] = "1";
            settings["trt_engine_cache_path"] = engineDirectory;
            settings["trt_timing_cache_enable"] = "1";
            settings["trt_timing_cache_path"] = engineDirectory;
        }
        return settings;
    }

    /// <summary>The real appends for <see cref="Select"/>: TensorRT with <see cref="TensorRtSettings"/> (plus CUDA
    /// behind it for nodes TensorRT rejects, as ORT recommends), or CUDA on the configured device.
    /// <paramref name="engineDirectory"/> null builds TensorRT engines without caching them.</summary>
    public static Action<string> AppendTo(SessionOptions session, DetectorOptions options, IReadOnlyCollection<string> available,
        string? engineDirectory = null) => name =>
    {
        switch (name)
        {
            case "TensorRT":
                using (var trt = new OrtTensorRTProviderOptions())
                {
                    trt.UpdateOptions(TensorRtSettings(options, engineDirectory));
                    session.AppendExecutionProvider_Tensorrt(trt);
                }
                if (available.Contains("CUDAExecutionProvider"))
                {
                    session.AppendExecutionProvider_CUDA(options.Cuda.DeviceId);
                }
                break;
            case "CUDA":
                session.AppendExecutionProvider_CUDA(options.Cuda.DeviceId);
                break;
            default:
                throw new InvalidOperationException($"No append for provider {name}.");
        }
    };
}
