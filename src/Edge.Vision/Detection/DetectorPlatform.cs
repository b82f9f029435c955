using Microsoft.ML.OnnxRuntime;

namespace Edge.Detection;

/// <summary>What <see cref="YoloDetector.Create(DetectorOptions, Microsoft.Extensions.Logging.ILogger?, Models.ModelResolver?)"/>
/// asks of the machine: the providers this ONNX Runtime build offers, the TensorRT engine key for this device (null when
/// TensorRT or the CUDA device is missing) and how a provider is appended. Tests substitute it to exercise the
/// TensorRT path (engine cache entry, settings, commit after warm-up) on a machine without a GPU.</summary>
/// <param name="Append">Appends provider "TensorRT" or "CUDA" to the session options, given the engine cache
/// directory for TensorRT (null: no cache); throws when the provider cannot be initialised.</param>
internal sealed record DetectorPlatform(
    IReadOnlyCollection<string> AvailableProviders,
    Func<string, int, int, bool, int, TensorRtEngineKey?> EngineKey,
    Action<SessionOptions, DetectorOptions, string, string?> Append)
{
    /// <summary>This process's ONNX Runtime, <see cref="Platform.GpuPlatformProbe"/> and the real appends.</summary>
    public static DetectorPlatform Current()
    {
        string[] available = OrtEnv.Instance().GetAvailableProviders();
        return new DetectorPlatform(available, TensorRtEngineKey.ForDevice,
            (session, options, name, engineDirectory) => ExecutionProviderSelector.AppendTo(session, options, available, engineDirectory)(name));
    }
}
