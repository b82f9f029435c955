using Edge.Detection;
using Edge.Health;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Tests.DetectionTests;

/// <summary>The detector's TensorRT engine-cache wiring. This machine has no GPU, so a substituted
/// <see cref="DetectorPlatform"/> claims TensorRT: its append records the provider settings the detector chose and,
/// standing in for ONNX Runtime, writes an engine file into the cache directory when none is there. The session itself
/// then runs on CPU with the real model, so warm-up, commit and rebuild are the real code.</summary>
public class YoloDetectorEngineCacheTests
{
    private const string EngineFile = "TensorrtExecutionProvider_TRTKernel_graph_main_0_0.engine";
    private static readonly string[] Gpu = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"];

    /// <summary>Claims TensorRT; records what was asked of it.</summary>
    private sealed class FakeTensorRt
    {
        public List<(string Provider, Dictionary<string, string> Settings)> Appends { get; } = [];
        public List<(int W, int H)> KeySizes { get; } = [];
        public int EnginesWritten { get; private set; }
        public bool DeviceAnswers { get; init; } = true;

        public DetectorPlatform Platform => new(Gpu, Key, Append);

        private TensorRtEngineKey? Key(string model, int w, int h, bool fp16, int device)
        {
            KeySizes.Add((w, h));
            return DeviceAnswers
                ? TensorRtEngineKey.ForModel(model, w, h, fp16 ? TensorRtPrecision.Fp16 : TensorRtPrecision.Fp32, "10.3.0", "Orin", "8.7")
                : null;
        }

        private void Append(SessionOptions session, DetectorOptions options, string provider, string? engineDirectory)
        {
            Appends.Add((provider, ExecutionProviderSelector.TensorRtSettings(options, engineDirectory)));
            if (provider == "TensorRT" && engineDirectory is not null && !File.Exists(Path.Combine(engineDirectory, EngineFile)))
            {
                File.WriteAllText(Path.Combine(engineDirectory, EngineFile), $"plan {EnginesWritten}");
                EnginesWritten++;
            }
        }
    }

    private static DetectorOptions Options(string cacheRoot) => new()
    {
        Model = TestData.Model("yolo11n_w8dq_320.onnx"),
        Providers = ["TensorRT", "CUDA", "CPU"],
        TensorRt = new TensorRtOptions { EngineCacheDir = cacheRoot, Fp16 = true },
    };

    [Fact]
    public void TensorRtUsesTheKeyedEntryAndCommitsItAfterWarmup()
    {
        string root = TestData.NewTempDir("trt-detector");
        var trt = new FakeTensorRt();
        var log = new ListLogger();

        using (var first = YoloDetector.Create(Options(root), log, null, trt.Platform))
        {
            // The key uses the model's real input size (320, read before the session), not a 640 default.
            Assert.Equal((320, 320), Assert.Single(trt.KeySizes));
            Assert.Equal((first.Model.InputWidth, first.Model.InputHeight), trt.KeySizes[0]);
            Assert.Equal("TensorRT", first.ExecutionProvider);
            TensorRtCacheEntry entry = Assert.IsType<TensorRtCacheEntry>(first.Warmup.EngineCache);
            Assert.Equal(TensorRtCacheStatus.Empty, entry.Status);
            Assert.Equal(Path.Combine(Path.GetFullPath(root), entry.Key.DirectoryName), entry.Directory);
            Assert.StartsWith("-320x320-fp16-trt10.3.0-orin-sm8.7-", entry.Key.DirectoryName[12..]);

            (string provider, Dictionary<string, string> settings) = Assert.Single(trt.Appends);
            Assert.Equal("TensorRT", provider);
            Assert.Equal("1", settings["trt_engine_cache_enable"]);
            Assert.Equal(entry.Directory, settings["trt_engine_cache_path"]);
            Assert.Equal("1", settings["trt_timing_cache_enable"]);
            Assert.Equal(entry.Directory, settings["trt_timing_cache_path"]);
            Assert.Equal("1", settings["trt_fp16_enable"]);

            // Committed: the manifest lists the engine with its checksum, and the build was logged with its duration.
            Assert.Null(TensorRtEngineCache.Validate(entry.Directory, entry.Key));
            Assert.Contains(log.Lines, l => l.Level == LogLevel.Information && l.Message.StartsWith("TensorRT engine built in ", StringComparison.Ordinal));
            Assert.True(first.Warmup.Duration > TimeSpan.Zero);
        }

        var secondLog = new ListLogger();
        using var second = YoloDetector.Create(Options(root), secondLog, null, trt.Platform);
        Assert.Equal(TensorRtCacheStatus.Valid, second.Warmup.EngineCache!.Status);
        Assert.Equal(1, trt.EnginesWritten);
        Assert.DoesNotContain(secondLog.Lines, l => l.Message.Contains("engine built", StringComparison.Ordinal));
        Assert.Contains(secondLog.Lines, l => l.Message.StartsWith("TensorRT engine cache hit", StringComparison.Ordinal));
    }

    [Fact]
    public void CorruptEngineIsRebuiltAndRecommitted()
    {
        string root = TestData.NewTempDir("trt-detector");
        var trt = new FakeTensorRt();
        string directory;
        using (var first = YoloDetector.Create(Options(root), null, null, trt.Platform))
        {
            directory = first.Warmup.EngineCache!.Directory;
        }
        File.WriteAllText(Path.Combine(directory, EngineFile), "plan X"); // same length, one byte differs

        var log = new ListLogger();
        using var again = YoloDetector.Create(Options(root), log, null, trt.Platform);
        TensorRtCacheEntry entry = again.Warmup.EngineCache!;
        Assert.Equal(TensorRtCacheStatus.Rebuilt, entry.Status);
        Assert.Contains("checksum mismatch", entry.Reason);
        Assert.Equal(2, trt.EnginesWritten);
        Assert.Equal("plan 1", File.ReadAllText(Path.Combine(directory, EngineFile)));
        Assert.Null(TensorRtEngineCache.Validate(directory, entry.Key));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("is invalid", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Message.StartsWith("TensorRT engine built in ", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutTensorRtTheCacheIsNotTouchedAndOneLineIsLogged()
    {
        string root = Path.Combine(TestData.NewTempDir("trt-detector"), "cache");
        var log = new ListLogger();
        var options = Options(root) with { Providers = ["TensorRT", "CPU"] };
        using var detector = YoloDetector.Create(options, log); // this machine's real ONNX Runtime (CPU build)

        Assert.Equal("CPU", detector.ExecutionProvider);
        Assert.Null(detector.Warmup.EngineCache);
        Assert.False(Directory.Exists(root));
        (LogLevel level, string message) = Assert.Single(log.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("TensorRT is not available", message);
    }

    [Fact]
    public void TensorRtListedButDeviceSilentFallsBackWithoutACacheEntry()
    {
        string root = TestData.NewTempDir("trt-detector");
        var trt = new FakeTensorRt { DeviceAnswers = false };
        var log = new ListLogger();
        using var detector = YoloDetector.Create(Options(root), log, null, trt.Platform);

        Assert.Equal("CUDA", detector.ExecutionProvider); // the fake CUDA append succeeds
        Assert.Equal(["CUDA"], trt.Appends.Select(a => a.Provider));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        (_, string message) = Assert.Single(log.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains("TensorRT failed to initialise", message);
        Assert.Contains("not usable", message);
    }

    [Fact]
    public async Task CreateAsyncCompletesAfterWarmupAndReportsIntoWarmupState()
    {
        var state = new WarmupState();
        var trt = new FakeTensorRt();
        using var detector = await YoloDetector.CreateAsync(Options(TestData.NewTempDir("trt-detector")), state, null, null,
            () => trt.Platform, CancellationToken.None);

        Assert.Equal(TensorRtCacheStatus.Empty, detector.Warmup.EngineCache!.Status);
        Assert.Equal(WarmupPhase.WarmingUp, state.Current.Phase); // Ready is the host's call
        Assert.Contains("warmed up on TensorRT", state.Current.Detail);
        Assert.False(state.WhenReady.IsCompleted);
    }

    [Fact]
    public async Task CreateAsyncFailureMarksTheStateFailed()
    {
        var state = new WarmupState();
        var options = new DetectorOptions { Model = TestData.Model("osnet_x0_25_msmt17.onnx") };
        await Assert.ThrowsAsync<EdgeException>(() => YoloDetector.CreateAsync(options, state));
        Assert.Equal(WarmupPhase.Failed, state.Current.Phase);
        Assert.Contains("osnet_x0_25_msmt17", state.Current.Detail);
        await Assert.ThrowsAsync<EdgeException>(() => state.WhenReady);
    }
}
