namespace Edge.Tests;

/// <summary>Locates the read-only sample data and models beside the repository (../shared). A test that needs
/// one fails loudly with the path it looked for; nothing is skipped silently.</summary>
public static class TestData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedDir =>
        Environment.GetEnvironmentVariable("EDGE_SHARED_DIR") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string ModelsDir =>
        Environment.GetEnvironmentVariable("EDGE_MODELS_DIR") is { Length: > 0 } m ? m : Path.Combine(SharedDir, "models");

    public static string VideoPath => Require(Path.Combine(SharedDir, "data", "video", "vtest.avi"));

    public static string Model(string fileName) => Require(Path.Combine(ModelsDir, fileName));

    public static string Shared(params string[] parts) => Require(Path.Combine([SharedDir, .. parts]));

    /// <summary>Returns the path, or throws with it when it does not exist.</summary>
    public static string Require(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException(
                $"Test data not found: {Path.GetFullPath(path)} (set EDGE_SHARED_DIR / EDGE_MODELS_DIR, or put ../shared beside the repo).", path);
        }
        return path;
    }

    /// <summary>A fresh empty folder under the system temp directory.</summary>
    public static string NewTempDir(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"edge-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Edge.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException($"Edge.sln not found above {AppContext.BaseDirectory}");
    }
}
