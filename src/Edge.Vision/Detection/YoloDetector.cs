using Edge.Health;
using Edge.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Edge.Detection;

/// <summary>Result of a detector's start-up (<see cref="YoloDetector.Warmup"/>).</summary>
/// <param name="Provider">"TensorRT", "CUDA" or "CPU".</param>
/// <param name="Duration">Session creation plus the warm-up inference (includes a TensorRT engine build).</param>
/// <param name="EngineCache">The TensorRT engine cache entry: Valid (engine loaded), Empty or Rebuilt (built and committed now).</param>
public sealed record DetectorWarmup(string Provider, TimeSpan Duration, TensorRtCacheEntry? EngineCache);

/// <summary>YOLO-family ONNX detector on ONNX Runtime (Ultralytics v8/v11, YOLOv5, YOLOX, end-to-end heads).
/// Steady state allocates nothing: each <see cref="YoloDetectorSlot"/> owns pinned tensors bound once with an
/// IO binding. Infer may run concurrently on different slots (ORT sessions are thread-safe for Run).</summary>
public sealed class YoloDetector : IObjectDetector
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly DetectorModel _model;
    private readonly bool[] _classMask;
    private readonly DetectorOptions _options;
    private readonly Lock _defaultSlotLock = new();
    private YoloDetectorSlot? _defaultSlot;
    private bool _disposed;

    private YoloDetector(InferenceSession session, DetectorModel model, DetectorOptions options, string provider)
    {
        _session = session;
        _model = model;
        _options = options;
        ExecutionProvider = provider;
        _classMask = BuildClassMask(options.Classes, model.Info);
    }

    public ModelInfo Model => _model.Info;
    public string ExecutionProvider { get; }
    public DetectorOptions Options => _options;

    /// <summary>Images one slot can hold at most (the model's fixed batch, or unbounded for a dynamic batch).</summary>
    public bool HasDynamicBatch => _model.DynamicBatch;

    /// <summary>Resolves the model, picks the execution provider, loads the session, reads the layout and runs a warm-up.
    /// With TensorRT the engine comes from (or is built into) the <see cref="TensorRtEngineCache"/> entry for this model,
    /// input size, precision, TensorRT version and GPU; the entry is committed after the warm-up inference.</summary>
    public static YoloDetector Create(DetectorOptions options, ILogger? logger = null, ModelResolver? resolver = null) =>
        Create(options, logger, resolver, DetectorPlatform.Current());

    /// <summary><see cref="Create(DetectorOptions, ILogger?, ModelResolver?)"/> off the caller's thread, for a host
    /// that must stay responsive while a TensorRT engine builds (minutes on a Jetson). The task completes after the
    /// warm-up inference, so "detector created" means "warmed up". <paramref name="warmup"/>, when given, is moved to
    /// WarmingUp with what is happening and to Failed if creation throws; marking it Ready is left to the caller,
    /// which may have more to start (camera, sinks). Cancellation is honoured before the build starts and when it ends
    /// (ONNX Runtime cannot abort a session build; a detector finished after cancellation is disposed).</summary>
    public static Task<YoloDetector> CreateAsync(DetectorOptions options, WarmupState? warmup = null, ILogger? logger = null,
        ModelResolver? resolver = null, CancellationToken cancellationToken = default) =>
        CreateAsync(options, warmup, logger, resolver, DetectorPlatform.Current, cancellationToken);

    internal static Task<YoloDetector> CreateAsync(DetectorOptions options, WarmupState? warmup, ILogger? logger,
        ModelResolver? resolver, Func<DetectorPlatform> platform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Factory.StartNew(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            warmup?.MarkWarmingUp($"loading detector {options.Model} (providers {string.Join(", ", options.EffectiveProviders)}); a first TensorRT engine build takes minutes");
            YoloDetector detector;
            try
            {
                detector = Create(options, logger, resolver, platform());
            }
            catch (Exception ex)
            {
                warmup?.MarkFailed($"detector {options.Model}: {ex.Message}");
                throw;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                detector.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
            warmup?.MarkWarmingUp($"detector {detector.Model.Name} warmed up on {detector.ExecutionProvider} in {detector.Warmup.Duration.TotalSeconds:F1} s");
            return detector;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    internal static YoloDetector Create(DetectorOptions options, ILogger? logger, ModelResolver? resolver, DetectorPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        resolver ??= new ModelResolver();
        string path = resolver.Resolve(options.Model);
        ModelManifestEntry? manifest = ModelManifest.FindFor(path, resolver.SearchDirectories)?.Find(path);

        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // Subnormal weights make x86 float math very slow (models README: osnet 9 ms -> 3 ms); flushing them is harmless.
        so.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        if (options.IntraOpThreads > 0)
        {
            so.IntraOpNumThreads = options.IntraOpThreads;
        }
        // The engine cache is opened only when TensorRT is actually tried, so a machine without it never touches the folder.
        TensorRtCacheEntry? engine = null;
        TensorRtEngineCache? cache = null;
        string provider = new ExecutionProviderSelector(platform.AvailableProviders, logger).Select(options.EffectiveProviders, name =>
        {
            string? engineDirectory = null;
            if (name == "TensorRT" && !string.IsNullOrWhiteSpace(options.TensorRt.EngineCacheDir))
            {
                (int w, int h) = DetectorModelReader.ReadInputSize(path, manifest);
                TensorRtEngineKey key = platform.EngineKey(path, w, h, options.TensorRt.Fp16, options.Cuda.DeviceId)
                    ?? throw new EdgeException($"TensorRT or CUDA device {options.Cuda.DeviceId} is not usable on this machine (libnvinfer or the GPU did not answer; see `edge doctor`).");
                cache = new TensorRtEngineCache(options.TensorRt.EngineCacheDir, logger);
                engine = cache.Open(key);
                engineDirectory = engine.Directory;
                if (engine.NeedsBuild)
                {
                    logger.LogInformation("Building TensorRT engine for {Key} into {Directory} (first run on this device takes minutes)",
                        key.DirectoryName, engine.Directory);
                }
            }
            platform.Append(so, options, name, engineDirectory);
        });
        if (provider != "TensorRT")
        {
            engine = null;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new EdgeException($"Model '{path}' could not be loaded by ONNX Runtime ({provider}): {ex.Message}", ex);
        }
        YoloDetector? detector = null;
        try
        {
            DetectorModel model = DetectorModelReader.Read(session, path, manifest);
            detector = new YoloDetector(session, model, options, provider);
            // ORT builds (or deserializes) the TensorRT engine in the session constructor or, for dynamic shapes, in the
            // first run; either way it is on disk once the warm-up inference returns.
            detector.WarmUp();
            TimeSpan took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (engine is { NeedsBuild: true } && cache is not null)
            {
                try
                {
                    cache.Commit(engine, took);
                }
                catch (Exception ex) when (ex is EdgeException or IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("TensorRT engine cache entry {Directory} not committed ({Reason}); the engine will be built again next start",
                        engine.Directory, ex.Message);
                }
            }
            detector.Warmup = new DetectorWarmup(provider, took, engine);
            logger.LogInformation(
                "Detector {Model}: {Layout} {W}x{H}, {Classes} classes, {Pixels}, provider {Provider}, warmed up in {WarmupSeconds:F2} s",
                model.Info.Name, model.Info.Layout, model.Info.InputWidth, model.Info.InputHeight, model.Info.NumClasses, model.Info.Pixels, provider,
                took.TotalSeconds);
            return detector;
        }
        catch
        {
            // The detector owns the session (and its run options and bound buffers) once it exists.
            if (detector is not null)
            {
                detector.Dispose();
            }
            else
            {
                session.Dispose();
            }
            throw;
        }
    }

    /// <summary>How the detector was brought up: provider, session build plus warm-up time, and the TensorRT engine
    /// cache entry used (null off TensorRT or with the cache disabled).</summary>
    public DetectorWarmup Warmup { get; private set; } = new("CPU", TimeSpan.Zero, null);

    public DetectorSlot CreateSlot() => CreateSlot(_model.DynamicBatch ? 1 : _model.Info.BatchSize);

    /// <summary>A slot for <paramref name="batchSize"/> images; must equal the model's batch unless it is dynamic.</summary>
    public YoloDetectorSlot CreateSlot(int batchSize)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batchSize < 1 || (!_model.DynamicBatch && batchSize != _model.Info.BatchSize))
        {
            throw new EdgeException(
                $"Model '{_model.Info.Name}' has a fixed batch of {_model.Info.BatchSize}; a slot for {batchSize} images cannot be made.");
        }
        // Each slot gets its own decoder: decoders keep scratch, and slots may be postprocessed concurrently.
        return new YoloDetectorSlot(this, _session, _model, CreateDecoder(_model), batchSize, _options.MaxDetections);
    }

    public void Preprocess(Mat bgrFrame, DetectorSlot slot)
    {
        YoloDetectorSlot s = Own(slot);
        PreprocessInto(bgrFrame, s, 0);
        s.Count = 1;
    }

    /// <summary>Letterboxes up to <see cref="YoloDetectorSlot.BatchSize"/> frames into the slot.</summary>
    public void Preprocess(IReadOnlyList<Mat> bgrFrames, YoloDetectorSlot slot)
    {
        ArgumentNullException.ThrowIfNull(bgrFrames);
        YoloDetectorSlot s = Own(slot);
        if (bgrFrames.Count > s.BatchSize)
        {
            throw new ArgumentException($"{bgrFrames.Count} frames do not fit a slot of batch {s.BatchSize}.", nameof(bgrFrames));
        }
        for (int i = 0; i < bgrFrames.Count; i++)
        {
            PreprocessInto(bgrFrames[i], s, i);
        }
        s.Count = bgrFrames.Count;
    }

    public void Infer(DetectorSlot slot)
    {
        YoloDetectorSlot s = Own(slot);
        _session.RunWithBinding(_runOptions, s.Binding);
    }

    public void Postprocess(DetectorSlot slot, List<Detection> results) => Postprocess(Own(slot), 0, results);

    /// <summary>Decodes image <paramref name="index"/> of the slot into <paramref name="results"/> (cleared first).</summary>
    public void Postprocess(YoloDetectorSlot slot, int index, List<Detection> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        YoloDetectorSlot s = Own(slot);
        if ((uint)index >= (uint)s.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Slot holds {s.Count} preprocessed images; index {index} requested.");
        }
        results.Clear();
        DetectionBuffer candidates = s.Candidates;
        candidates.Clear();
        s.Decoder.Decode(s.Output.AsSpan(index * s.OutputLength, s.OutputLength), _options.ScoreThreshold, _classMask, candidates);
        ReadOnlySpan<Detection> items = candidates.Items;
        LetterboxTransform t = s.Transforms[index];
        if (s.Decoder.NeedsNms)
        {
            int kept = NonMaxSuppression.Run(items, _options.IouThreshold, s.SortScratch, s.Keep);
            for (int k = 0; k < kept; k++)
            {
                Add(results, items[s.Keep[k]], t);
            }
        }
        else
        {
            for (int k = 0; k < items.Length && results.Count < _options.MaxDetections; k++)
            {
                Add(results, items[k], t);
            }
        }
    }

    /// <summary>Convenience single-frame detection on an internal slot (serialised; pipelines should use their own slots).</summary>
    public void Detect(Mat bgrFrame, List<Detection> results)
    {
        lock (_defaultSlotLock)
        {
            YoloDetectorSlot slot = _defaultSlot ??= CreateSlot(_model.DynamicBatch ? 1 : _model.Info.BatchSize);
            PreprocessInto(bgrFrame, slot, 0);
            slot.Count = 1;
            Infer(slot);
            Postprocess(slot, 0, results);
        }
    }

    /// <summary>Detects on several frames using <paramref name="slot"/> (made with <see cref="CreateSlot(int)"/>), in
    /// chunks of the slot's batch size. <paramref name="results"/> needs one list per frame.</summary>
    public void DetectBatch(IReadOnlyList<Mat> bgrFrames, YoloDetectorSlot slot, IReadOnlyList<List<Detection>> results)
    {
        ArgumentNullException.ThrowIfNull(bgrFrames);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count < bgrFrames.Count)
        {
            throw new ArgumentException($"{bgrFrames.Count} frames need as many result lists; got {results.Count}.", nameof(results));
        }
        YoloDetectorSlot s = Own(slot);
        for (int start = 0; start < bgrFrames.Count; start += s.BatchSize)
        {
            int n = Math.Min(s.BatchSize, bgrFrames.Count - start);
            for (int i = 0; i < n; i++)
            {
                PreprocessInto(bgrFrames[start + i], s, i);
            }
            s.Count = n;
            Infer(s);
            for (int i = 0; i < n; i++)
            {
                Postprocess(s, i, results[start + i]);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _defaultSlot?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static void Add(List<Detection> results, in Detection d, in LetterboxTransform t)
    {
        var box = t.ToSource(d.Box);
        if (!box.IsEmpty)
        {
            results.Add(d with { Box = box });
        }
    }

    private static unsafe void PreprocessInto(Mat frame, YoloDetectorSlot s, int index)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Empty() || frame.Type() != MatType.CV_8UC3)
        {
            throw new EdgeException($"Detector input must be a non-empty 8-bit BGR image (CV_8UC3); got {frame.Type()} {frame.Width}x{frame.Height}.");
        }
        int w = frame.Width, h = frame.Height;
        long stride = frame.Step();
        long length = stride * (h - 1) + (long)w * 3;
        var src = new ReadOnlySpan<byte>((void*)frame.Data, checked((int)length));
        s.Transforms[index] = s.Preprocessor.Run(src, w, h, (int)stride, s.Input.AsSpan(index * s.ImageLength, s.ImageLength));
    }

    private void WarmUp()
    {
        YoloDetectorSlot slot = _defaultSlot = CreateSlot(_model.DynamicBatch ? 1 : _model.Info.BatchSize);
        using var grey = new Mat(_model.Info.InputHeight, _model.Info.InputWidth, MatType.CV_8UC3, new Scalar(114, 114, 114));
        var results = new List<Detection>(_options.MaxDetections);
        PreprocessInto(grey, slot, 0);
        slot.Count = 1;
        Infer(slot);
        Postprocess(slot, 0, results);
    }

    private YoloDetectorSlot Own(DetectorSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return slot is YoloDetectorSlot s && ReferenceEquals(s.Owner, this)
            ? s
            : throw new ArgumentException("The slot was not created by this detector.", nameof(slot));
    }

    private static IDetectionDecoder CreateDecoder(DetectorModel model)
    {
        LayoutChoice l = model.Layout;
        return l.Layout switch
        {
            DetectorLayout.UltralyticsV8 => new UltralyticsDecoder(l.NumClasses, l.NumRows),
            DetectorLayout.YoloV5 => new YoloV5Decoder(l.NumClasses, l.NumRows),
            DetectorLayout.YoloXGrid => new YoloXGridDecoder(l.NumClasses, model.Info.InputWidth, model.Info.InputHeight),
            DetectorLayout.EndToEnd => new EndToEndDecoder(l.NumClasses, l.NumRows),
            _ => throw new EdgeException($"Model '{model.Info.Name}': no decoder for layout {l.Layout}."),
        };
    }

    /// <summary>Class filter from names or ids; empty keeps every class. Unknown entries are an error listing the classes.</summary>
    internal static bool[] BuildClassMask(IReadOnlyList<string> classes, ModelInfo info)
    {
        if (classes.Count == 0)
        {
            return [];
        }
        var mask = new bool[info.NumClasses];
        foreach (string c in classes)
        {
            int id = int.TryParse(c, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n)
                ? n
                : IndexOf(info.ClassNames, c);
            if (id < 0 || id >= mask.Length)
            {
                throw new EdgeException(
                    $"class '{c}' (--classes, Edge:Detector:Classes) is not one model '{info.Name}' knows; its classes are 0..{mask.Length - 1}: {string.Join(", ", info.ClassNames)}.");
            }
            mask[id] = true;
        }
        return mask;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
