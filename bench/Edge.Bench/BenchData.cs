namespace Edge.Bench;

/// <summary>Locates the shared sample data (EDGE_SHARED_DIR, else ../shared beside the repository).</summary>
internal static class BenchData
{
    public static string SharedDir =>
        Environment.GetEnvironmentVariable("EDGE_SHARED_DIR") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared"));

    public static string ModelsDir =>
        Environment.GetEnvironmentVariable("EDGE_MODELS_DIR") is { Length: > 0 } m ? m : Path.Combine(SharedDir, "models");

    public static string VideoPath => Path.Combine(SharedDir, "data", "video", "vtest.avi");

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Edge.sln")))
            {
                return d.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
