using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Models;

/// <summary>One model in <c>models/manifest.json</c>: where it comes from, how to check it and how to feed it.</summary>
public sealed record ModelManifestEntry
{
    public required string Name { get; init; }
    public required string File { get; init; }
    /// <summary>Raw download URL pinned to a commit; null for files derived locally (see <see cref="DerivedFrom"/>).</summary>
    public string? Url { get; init; }
    public string? DerivedFrom { get; init; }
    public required string Sha256 { get; init; }
    public long Size { get; init; }
    public string? License { get; init; }
    public string Task { get; init; } = "detect";
    /// <summary>[width, height].</summary>
    public int[]? Input { get; init; }
    public DetectorLayout? Layout { get; init; }
    public PixelFormat? Pixels { get; init; }
    /// <summary>Where the class names come from, e.g. "onnx-metadata" or "coco80".</summary>
    public string? ClassNames { get; init; }
    public string? Notes { get; init; }
}

/// <summary><c>models/manifest.json</c>: provenance, hashes and feeding hints for known models. ONNX metadata
/// wins over it; it wins over guesses from tensor shapes.</summary>
public sealed class ModelManifest
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter() },
    };

    public ModelManifest(string path, IReadOnlyList<ModelManifestEntry> models)
    {
        Path = path;
        Models = models;
    }

    public string Path { get; }
    public IReadOnlyList<ModelManifestEntry> Models { get; }

    public static ModelManifest Load(string path)
    {
        try
        {
            using FileStream s = File.OpenRead(path);
            Document doc = JsonSerializer.Deserialize<Document>(s, Json)
                ?? throw new EdgeException($"Model manifest {path} is empty.");
            return new ModelManifest(path, doc.Models ?? []);
        }
        catch (JsonException ex)
        {
            throw new EdgeException($"Model manifest {path} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>The first <c>manifest.json</c> found beside the model or in the given folders, or null.</summary>
    public static ModelManifest? FindFor(string modelPath, IEnumerable<string> searchDirectories)
    {
        string? modelDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(modelPath));
        IEnumerable<string> dirs = modelDir is null ? searchDirectories : searchDirectories.Prepend(modelDir);
        foreach (string dir in dirs)
        {
            string p = System.IO.Path.Combine(dir, FileName);
            if (File.Exists(p))
            {
                return Load(p);
            }
        }
        return null;
    }

    /// <summary>The entry for this model file: same file name (case-insensitive) and, when the file exists, the same
    /// size, so a different model saved under a known name is not given another model's layout. Null when none.</summary>
    public ModelManifestEntry? Find(string modelPath)
    {
        string file = System.IO.Path.GetFileName(modelPath);
        long? size = File.Exists(modelPath) ? new FileInfo(modelPath).Length : null;
        return Models.FirstOrDefault(m => string.Equals(m.File, file, StringComparison.OrdinalIgnoreCase)
            && (size is null || m.Size <= 0 || m.Size == size));
    }

    private sealed record Document(IReadOnlyList<ModelManifestEntry>? Models);
}
