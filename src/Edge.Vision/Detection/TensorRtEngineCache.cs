using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Detection;

/// <summary>Numeric precision a TensorRT engine was built for (ORT's trt_fp16_enable / trt_int8_enable).</summary>
public enum TensorRtPrecision
{
    Fp32,
    Fp16,
    Int8,
}

/// <summary>Everything a serialized TensorRT engine depends on. An engine is only valid for the exact model bytes,
/// input size and precision it was built for, on the same TensorRT version and GPU (compute capability): the plan
/// format is not portable across TensorRT releases or GPU architectures (TensorRT developer guide, "Engine
/// compatibility"). Any change gives a different <see cref="DirectoryName"/>, so a stale engine is never loaded.</summary>
public sealed record TensorRtEngineKey(
    string ModelSha256,
    int InputWidth,
    int InputHeight,
    TensorRtPrecision Precision,
    string TensorRtVersion,
    string GpuName,
    string ComputeCapability)
{
    /// <summary>Readable and unique: model hash prefix, size, precision, TensorRT version, GPU, compute capability,
    /// then a hash over all fields so two keys that slug to the same text still differ.</summary>
    public string DirectoryName
    {
        get
        {
            string full = string.Join('|', ModelSha256, InputWidth, InputHeight, Precision, TensorRtVersion, GpuName, ComputeCapability);
            string tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8];
            string model = ModelSha256.Length > 12 ? ModelSha256[..12] : ModelSha256;
            return $"{Slug(model)}-{InputWidth}x{InputHeight}-{Precision.ToString().ToLowerInvariant()}-trt{Slug(TensorRtVersion)}-{Slug(GpuName)}-sm{Slug(ComputeCapability)}-{tag}";
        }
    }

    /// <summary>Builds a key for a model file, hashing its bytes.</summary>
    public static TensorRtEngineKey ForModel(string modelPath, int inputWidth, int inputHeight, TensorRtPrecision precision,
        string tensorRtVersion, string gpuName, string computeCapability)
    {
        if (!File.Exists(modelPath))
        {
            throw new EdgeException($"TensorRT engine cache: model file not found: {Path.GetFullPath(modelPath)}");
        }
        if (inputWidth <= 0 || inputHeight <= 0)
        {
            throw new EdgeException($"TensorRT engine cache: input size must be positive, got {inputWidth}x{inputHeight} for {modelPath}");
        }
        return new TensorRtEngineKey(TensorRtEngineCache.Sha256OfFile(modelPath), inputWidth, inputHeight, precision,
            tensorRtVersion, gpuName, computeCapability);
    }

    /// <summary>The key for this device: TensorRT version and GPU from <see cref="Platform.GpuPlatformProbe"/>. Null when
    /// TensorRT or the CUDA device is not there (then the TensorRT provider will not be used either).</summary>
    public static TensorRtEngineKey? ForDevice(string modelPath, int inputWidth, int inputHeight, bool fp16, int cudaDeviceId)
    {
        if (Platform.GpuPlatformProbe.TensorRtVersion() is not { } trt || Platform.GpuPlatformProbe.Gpu(cudaDeviceId, out _) is not { } gpu)
        {
            return null;
        }
        return ForModel(modelPath, inputWidth, inputHeight, fp16 ? TensorRtPrecision.Fp16 : TensorRtPrecision.Fp32, trt, gpu.Name, gpu.ComputeCapability);
    }

    private static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '-');
        }
        return sb.Length == 0 ? "unknown" : sb.ToString();
    }
}

/// <summary>One engine file as recorded in the manifest.</summary>
public sealed record TensorRtEngineFile(string Name, long Bytes, string Sha256);

/// <summary>The <c>manifest.json</c> written beside the engines once they are built and warmed up. Its presence means
/// "complete"; a directory without one (a build killed half way) is treated as corrupt.</summary>
public sealed record TensorRtEngineManifest(int Schema, TensorRtEngineKey Key, DateTimeOffset CreatedUtc, double BuildSeconds,
    IReadOnlyList<TensorRtEngineFile> Files);

/// <summary>What <see cref="TensorRtEngineCache.Open"/> found.</summary>
public enum TensorRtCacheStatus
{
    /// <summary>The manifest matches the key and every engine file's checksum: the session will deserialize them.</summary>
    Valid,
    /// <summary>No entry yet: the first session build will create the engines.</summary>
    Empty,
    /// <summary>An entry existed but was incomplete, corrupt or for another key; it was deleted and will be rebuilt.</summary>
    Rebuilt,
}

/// <summary>The directory for one key and what was found in it. <see cref="Directory"/> is the value for ONNX
/// Runtime's <c>trt_engine_cache_path</c> (and <c>trt_timing_cache_path</c>).</summary>
public sealed record TensorRtCacheEntry(TensorRtEngineKey Key, string Directory, TensorRtCacheStatus Status, string? Reason)
{
    public bool NeedsBuild => Status != TensorRtCacheStatus.Valid;
}

/// <summary>Persistent TensorRT engine cache: one directory per <see cref="TensorRtEngineKey"/> with a manifest of
/// engine checksums. Building an engine takes minutes on a Jetson, so engines are built once on the device and
/// reused; a mismatched or corrupt entry (power cut during the build, disk error, manual edit) is deleted and
/// rebuilt rather than handed to TensorRT, which would fail or crash on a truncated plan.
/// Usage: <see cref="Open"/> before creating the session, create the session with the returned directory and run the
/// warm-up inference (that is when ORT builds and serializes the engine), then <see cref="Commit"/>.
/// <see cref="PrepareAsync"/> does the three steps.</summary>
public sealed class TensorRtEngineCache(string rootDirectory, ILogger? logger = null, TimeProvider? time = null)
{
    public const string ManifestFileName = "manifest.json";
    private const int ManifestSchema = 1;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    /// <summary>Validates the entry for <paramref name="key"/>; deletes it when it does not match, so the directory
    /// returned is either valid or empty.</summary>
    public TensorRtCacheEntry Open(TensorRtEngineKey key)
    {
        string dir = Path.Combine(RootDirectory, key.DirectoryName);
        try
        {
            Directory.CreateDirectory(RootDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException($"TensorRT engine cache: cannot create {RootDirectory} ({ex.Message}); check Edge:Detector:TensorRt:EngineCacheDir and its owner.", ex);
        }

        if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.CreateDirectory(dir);
            return new TensorRtCacheEntry(key, dir, TensorRtCacheStatus.Empty, null);
        }

        string? problem = Validate(dir, key);
        if (problem is null)
        {
            _logger.LogInformation("TensorRT engine cache hit: {Directory}", dir);
            return new TensorRtCacheEntry(key, dir, TensorRtCacheStatus.Valid, null);
        }

        _logger.LogWarning("TensorRT engine cache at {Directory} is invalid ({Problem}); deleting it, the engine will be rebuilt", dir, problem);
        Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        return new TensorRtCacheEntry(key, dir, TensorRtCacheStatus.Rebuilt, problem);
    }

    /// <summary>Records the engines ORT wrote into the entry's directory. Call after the warm-up inference, when
    /// the engine files are complete. Writes the manifest atomically (temp file + rename).</summary>
    public TensorRtEngineManifest Commit(TensorRtCacheEntry entry, TimeSpan buildDuration)
    {
        var files = EngineFiles(entry.Directory).Select(Describe).ToList();
        if (files.Count == 0)
        {
            throw new EdgeException($"TensorRT engine cache: no engine files in {entry.Directory} after warm-up; was the session created with trt_engine_cache_enable=1 and trt_engine_cache_path={entry.Directory}?");
        }
        var manifest = new TensorRtEngineManifest(ManifestSchema, entry.Key, _time.GetUtcNow(), buildDuration.TotalSeconds, files);
        string path = Path.Combine(entry.Directory, ManifestFileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(manifest, JsonOptions));
        File.Move(temp, path, overwrite: true);
        if (entry.NeedsBuild)
        {
            _logger.LogInformation("TensorRT engine built in {Seconds:F1} s ({Files} files, {Bytes} bytes) for {Key}: {Directory}",
                buildDuration.TotalSeconds, files.Count, files.Sum(f => f.Bytes), entry.Key.DirectoryName, entry.Directory);
        }
        return manifest;
    }

    /// <summary>Open, then <paramref name="createAndWarmUp"/> (given the engine directory: create the ORT session with
    /// it and run one inference), then commit when the engines were just built. Returns the entry and how long the
    /// warm-up took.</summary>
    public async Task<(TensorRtCacheEntry Entry, TimeSpan WarmupDuration)> PrepareAsync(TensorRtEngineKey key,
        Func<string, CancellationToken, Task> createAndWarmUp, CancellationToken ct)
    {
        var entry = Open(key);
        if (entry.NeedsBuild)
        {
            _logger.LogInformation("Building TensorRT engine for {Key} (first run on this device takes minutes)", key.DirectoryName);
        }
        long start = _time.GetTimestamp();
        await createAndWarmUp(entry.Directory, ct).ConfigureAwait(false);
        var took = _time.GetElapsedTime(start);
        if (entry.NeedsBuild)
        {
            Commit(entry, took);
        }
        return (entry, took);
    }

    /// <summary>Null when the directory holds a complete entry for <paramref name="key"/>; otherwise what is wrong.</summary>
    public static string? Validate(string directory, TensorRtEngineKey key)
    {
        string path = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(path))
        {
            return "no manifest.json (incomplete build)";
        }
        TensorRtEngineManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<TensorRtEngineManifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            return $"manifest.json unreadable: {ex.Message}";
        }
        if (manifest is null || manifest.Files is null || manifest.Key is null)
        {
            return "manifest.json empty";
        }
        if (manifest.Schema != ManifestSchema)
        {
            return $"manifest schema {manifest.Schema}, expected {ManifestSchema}";
        }
        if (manifest.Key != key)
        {
            return $"manifest is for {manifest.Key.DirectoryName}, expected {key.DirectoryName}";
        }
        var onDisk = EngineFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var listed = manifest.Files.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        if (!onDisk.SequenceEqual(listed))
        {
            return $"files differ from manifest (on disk: {string.Join(", ", onDisk)}; manifest: {string.Join(", ", listed)})";
        }
        foreach (var file in manifest.Files)
        {
            var actual = Describe(Path.Combine(directory, file.Name));
            if (actual.Bytes != file.Bytes || !string.Equals(actual.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"{file.Name} checksum mismatch ({actual.Bytes} bytes sha256 {actual.Sha256[..12]}…, manifest {file.Bytes} bytes {file.Sha256[..Math.Min(12, file.Sha256.Length)]}…)";
            }
        }
        return null;
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static IEnumerable<string> EngineFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
            .Where(f => Path.GetFileName(f) is not (ManifestFileName or ManifestFileName + ".tmp"));

    private static TensorRtEngineFile Describe(string path) =>
        new(Path.GetFileName(path), new FileInfo(path).Length, Sha256OfFile(path));
}
