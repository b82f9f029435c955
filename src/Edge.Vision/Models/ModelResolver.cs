namespace Edge.Models;

/// <summary>Turns a model argument into a file: an existing path is used as is; otherwise a name
/// ("yolov8n_w8dq" or "yolov8n_w8dq.onnx") is looked up in, in order, <c>$EDGE_MODELS_DIR</c>, <c>./models</c>
/// under the current directory, <c>models/</c> in the repository enclosing the current directory (the folder holding
/// Edge.sln), <c>models/</c> in the repository enclosing the executable and <c>models/</c> beside the executable. A miss lists every path tried.</summary>
public sealed class ModelResolver
{
    public const string EnvironmentVariable = "EDGE_MODELS_DIR";

    private readonly string _currentDirectory;

    /// <param name="modelsDirectory">Overrides <c>$EDGE_MODELS_DIR</c> (null reads the variable).</param>
    /// <param name="currentDirectory">Overrides the process's current directory (for tests).</param>
    public ModelResolver(string? modelsDirectory = null, string? currentDirectory = null)
    {
        _currentDirectory = Path.GetFullPath(currentDirectory ?? Directory.GetCurrentDirectory());
        string? env = modelsDirectory ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        var dirs = new List<string>();
        void AddDir(string? d)
        {
            if (!string.IsNullOrWhiteSpace(d))
            {
                string full = Path.GetFullPath(d, _currentDirectory);
                if (!dirs.Contains(full, StringComparer.Ordinal))
                {
                    dirs.Add(full);
                }
            }
        }
        AddDir(env);
        AddDir(Path.Combine(_currentDirectory, "models"));
        AddDir(FindRepoRoot(_currentDirectory) is { } repo ? Path.Combine(repo, "models") : null);
        // ./edge runs the CLI from <repo>/.build/edge: its manifest is found from any working directory.
        AddDir(FindRepoRoot(AppContext.BaseDirectory) is { } home ? Path.Combine(home, "models") : null);
        AddDir(Path.Combine(AppContext.BaseDirectory, "models"));
        SearchDirectories = dirs;
    }

    /// <summary>Folders searched for bare names, in order.</summary>
    public IReadOnlyList<string> SearchDirectories { get; }

    /// <summary>Returns the full path of the model file or throws an <see cref="EdgeException"/> listing every path tried.</summary>
    public string Resolve(string nameOrPath)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            throw new EdgeException("No model given: pass a model name (e.g. yolov8n_w8dq) or a path to an .onnx file.");
        }
        var tried = new List<string>();
        foreach (string candidate in CandidateFileNames(nameOrPath))
        {
            string direct = Path.GetFullPath(candidate, _currentDirectory);
            tried.Add(direct);
            if (File.Exists(direct))
            {
                return direct;
            }
        }
        bool isBareName = nameOrPath.IndexOfAny(['/', '\\']) < 0;
        if (isBareName)
        {
            foreach (string dir in SearchDirectories)
            {
                foreach (string candidate in CandidateFileNames(nameOrPath))
                {
                    string p = Path.Combine(dir, candidate);
                    tried.Add(p);
                    if (File.Exists(p))
                    {
                        return p;
                    }
                }
            }
        }
        throw new EdgeException(
            $"Model '{nameOrPath}' not found. Searched:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", tried) +
            $"{Environment.NewLine}Set {EnvironmentVariable} to the folder holding the models, pass a path, or run models/fetch (see docs/models.md).");
    }

    private static IEnumerable<string> CandidateFileNames(string nameOrPath)
    {
        yield return nameOrPath;
        if (!nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            yield return nameOrPath + ".onnx";
        }
    }

    private static string? FindRepoRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Edge.sln")))
            {
                return d.FullName;
            }
        }
        return null;
    }
}
