using System.Text;
using System.Text.Json;
using Edge.Detection;
using Edge.Platform;
using Microsoft.Extensions.Logging;

namespace Edge.Tests;

public class TensorRtEngineCacheTests
{
    // FIPS 180-2 test vector: SHA-256("abc").
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private static readonly TensorRtEngineKey Key = new(AbcSha256, 640, 640, TensorRtPrecision.Fp16, "10.3.0", "Orin", "8.7");

    [Fact]
    public void KeyHashesModelBytes()
    {
        string dir = TestData.NewTempDir("trt");
        string model = Path.Combine(dir, "m.onnx");
        File.WriteAllText(model, "abc");
        var key = TensorRtEngineKey.ForModel(model, 640, 640, TensorRtPrecision.Fp16, "10.3.0", "Orin", "8.7");
        Assert.Equal(Key, key);
    }

    [Fact]
    public void EveryKeyFieldChangesTheDirectory()
    {
        var variants = new[]
        {
            Key,
            Key with { ModelSha256 = "0" + AbcSha256[1..] },
            Key with { InputWidth = 320 },
            Key with { InputHeight = 320 },
            Key with { Precision = TensorRtPrecision.Fp32 },
            Key with { TensorRtVersion = "10.3.1" },
            Key with { GpuName = "Xavier" },
            Key with { ComputeCapability = "7.2" },
        };
        Assert.Equal(variants.Length, variants.Select(k => k.DirectoryName).Distinct().Count());
        Assert.StartsWith("ba7816bf8f01-640x640-fp16-trt10.3.0-orin-sm8.7-", Key.DirectoryName);
    }

    [Fact]
    public void FirstRunIsEmptyThenValidAfterCommit()
    {
        var cache = new TensorRtEngineCache(TestData.NewTempDir("trt"));
        var first = cache.Open(Key);
        Assert.Equal(TensorRtCacheStatus.Empty, first.Status);
        Assert.Equal(Path.Combine(cache.RootDirectory, Key.DirectoryName), first.Directory);
        Assert.True(Directory.Exists(first.Directory));

        File.WriteAllText(Path.Combine(first.Directory, "TensorrtExecutionProvider_TRTKernel_graph_1_sm87.engine"), "abc");
        var manifest = cache.Commit(first, TimeSpan.FromSeconds(93.5));
        var file = Assert.Single(manifest.Files);
        Assert.Equal(AbcSha256, file.Sha256);
        Assert.Equal(3, file.Bytes);
        Assert.Equal(93.5, manifest.BuildSeconds);

        var second = cache.Open(Key);
        Assert.Equal(TensorRtCacheStatus.Valid, second.Status);
        Assert.False(second.NeedsBuild);
        Assert.True(File.Exists(Path.Combine(second.Directory, "TensorrtExecutionProvider_TRTKernel_graph_1_sm87.engine")));
    }

    [Fact]
    public void CorruptEngineIsDeletedForRebuild()
    {
        var (cache, entry) = Built("abc");
        string engine = Path.Combine(entry.Directory, "model.engine");
        File.WriteAllText(engine, "abd"); // same length, one byte differs

        var reopened = cache.Open(Key);
        Assert.Equal(TensorRtCacheStatus.Rebuilt, reopened.Status);
        Assert.Contains("model.engine checksum mismatch", reopened.Reason);
        Assert.Empty(Directory.EnumerateFileSystemEntries(reopened.Directory));
    }

    [Fact]
    public void MissingManifestMeansInterruptedBuild()
    {
        var cache = new TensorRtEngineCache(TestData.NewTempDir("trt"));
        var entry = cache.Open(Key);
        File.WriteAllText(Path.Combine(entry.Directory, "half.engine"), "partial");

        var reopened = cache.Open(Key);
        Assert.Equal(TensorRtCacheStatus.Rebuilt, reopened.Status);
        Assert.Contains("no manifest.json", reopened.Reason);
        Assert.False(File.Exists(Path.Combine(entry.Directory, "half.engine")));
    }

    [Fact]
    public void ExtraOrMissingFilesAreAMismatch()
    {
        var (cache, entry) = Built("abc");
        File.WriteAllText(Path.Combine(entry.Directory, "stray.profile"), "x");
        Assert.Contains("files differ", cache.Open(Key).Reason);

        (cache, entry) = Built("abc");
        File.Delete(Path.Combine(entry.Directory, "model.engine"));
        Assert.Contains("files differ", cache.Open(Key).Reason);
    }

    [Fact]
    public void ManifestForAnotherKeyOrGarbageIsRejected()
    {
        var (cache, entry) = Built("abc");
        string manifestPath = Path.Combine(entry.Directory, TensorRtEngineCache.ManifestFileName);
        var manifest = JsonSerializer.Deserialize<TensorRtEngineManifest>(File.ReadAllText(manifestPath))!;
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest with { Key = Key with { TensorRtVersion = "8.6.2" } }));
        var reopened = cache.Open(Key);
        Assert.Equal(TensorRtCacheStatus.Rebuilt, reopened.Status);
        Assert.Contains("trt8.6.2", reopened.Reason);

        (cache, entry) = Built("abc");
        File.WriteAllText(Path.Combine(entry.Directory, TensorRtEngineCache.ManifestFileName), "{ not json");
        Assert.Contains("manifest.json unreadable", cache.Open(Key).Reason);
    }

    [Fact]
    public void CommitWithoutEnginesExplainsTheSessionSetting()
    {
        var cache = new TensorRtEngineCache(TestData.NewTempDir("trt"));
        var entry = cache.Open(Key);
        var ex = Assert.Throws<EdgeException>(() => cache.Commit(entry, TimeSpan.Zero));
        Assert.Contains("trt_engine_cache_path=" + entry.Directory, ex.Message);
    }

    [Fact]
    public async Task PrepareBuildsOnceAndLogsTheBuildDuration()
    {
        var time = new ManualTime();
        var log = new ListLogger();
        var cache = new TensorRtEngineCache(TestData.NewTempDir("trt"), log, time);
        int builds = 0;
        Task Warmup(string dir, CancellationToken ct)
        {
            if (!File.Exists(Path.Combine(dir, "model.engine")))
            {
                builds++;
                File.WriteAllText(Path.Combine(dir, "model.engine"), "abc");
                time.Advance(TimeSpan.FromSeconds(120)); // engine build
            }
            time.Advance(TimeSpan.FromSeconds(2)); // first inference
            return Task.CompletedTask;
        }

        var (first, took) = await cache.PrepareAsync(Key, Warmup, CancellationToken.None);
        Assert.Equal(TensorRtCacheStatus.Empty, first.Status);
        Assert.Equal(TimeSpan.FromSeconds(122), took);
        Assert.Contains(log.Lines, l => l.Message.StartsWith("TensorRT engine built in 122.0 s (1 files, 3 bytes)", StringComparison.Ordinal));

        log.Lines.Clear();
        var (second, took2) = await cache.PrepareAsync(Key, Warmup, CancellationToken.None);
        Assert.Equal(TensorRtCacheStatus.Valid, second.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), took2);
        Assert.Equal(1, builds);
        Assert.DoesNotContain(log.Lines, l => l.Message.Contains("built in", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(100300, "10.3.0")] // TensorRT 10.3.0 (JetPack 6.1): 10*10000 + 3*100 + 0
    [InlineData(8602, "8.6.2")] // TensorRT 8.6.2 (JetPack 6.0 DP): 8*1000 + 6*100 + 2
    [InlineData(8502, "8.5.2")] // TensorRT 8.5.2 (JetPack 5.1)
    public void InferLibVersionDecodes(int version, string expected) =>
        Assert.Equal(expected, GpuPlatformProbe.FormatInferLibVersion(version));

    private static (TensorRtEngineCache, TensorRtCacheEntry) Built(string engineText)
    {
        var cache = new TensorRtEngineCache(TestData.NewTempDir("trt"));
        var entry = cache.Open(Key);
        File.WriteAllText(Path.Combine(entry.Directory, "model.engine"), engineText, new UTF8Encoding(false));
        cache.Commit(entry, TimeSpan.FromSeconds(1));
        Assert.Equal(TensorRtCacheStatus.Valid, cache.Open(Key).Status);
        return (cache, entry);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
