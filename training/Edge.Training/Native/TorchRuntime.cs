using System.Runtime.InteropServices;

namespace Edge.Training.Native;

/// <summary>
/// Makes TorchSharp load on hosts whose libstdc++ is older than the one libtorch was built against.
/// TorchSharp 0.107's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) for a single symbol,
/// std::ios_base_library_init(), which Debian 12's libstdc++ (GCC 12, up to GLIBCXX_3.4.30) lacks; glibc then refuses
/// to load the library. Before the first torch call this relaxes exactly the versions the host lacks, in the copy
/// of the library next to the application (never the NuGet cache), and does nothing on newer hosts.
/// </summary>
public static class TorchRuntime
{
    private const string Library = "libLibTorchSharp.so";
    private static readonly Lock Gate = new();
    private static bool _initialised;

    /// <summary>What the last <see cref="Initialize"/> did, for logs and docs ("patched ...", "not needed ...").</summary>
    public static string Status { get; private set; } = "not initialised";

    /// <summary>Patches if needed, then initialises torch with a fixed thread count. Safe to call many times.</summary>
    public static void Initialize(int threads = 0)
    {
        lock (Gate)
        {
            if (!_initialised)
            {
                Status = PrepareNativeLibrary(AppContext.BaseDirectory);
                _initialised = true;
            }
        }
        if (threads > 0)
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    /// <summary>Patches the copies of libLibTorchSharp.so under <paramref name="appDirectory"/> when the host's
    /// libstdc++ lacks a version they need. Returns a one-line summary.</summary>
    public static string PrepareNativeLibrary(string appDirectory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux: nothing to patch";
        }
        string? stdcxx = FindHostLibStdCxx();
        if (stdcxx is null)
        {
            return "host libstdc++.so.6 not found: left unpatched";
        }
        var available = ElfVersionPatcher.DefinedVersions(stdcxx);
        var notes = new List<string>();
        foreach (string lib in CandidatePaths(appDirectory))
        {
            var result = ElfVersionPatcher.Relax(lib, "libstdc++.so.6", available.Contains);
            notes.Add(result.Changed
                ? $"patched {lib}: weak {string.Join(',', result.WeakenedVersions)}; unversioned {string.Join(',', result.ClearedSymbols)}"
                : $"{lib}: nothing to patch for {stdcxx}");
        }
        return notes.Count == 0 ? $"{Library} not found under {appDirectory}" : string.Join("; ", notes);
    }

    /// <summary>The libstdc++ this process already uses (the .NET runtime links it), else the usual Debian/RHEL paths.</summary>
    public static string? FindHostLibStdCxx()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal))
                {
                    return line[slash..];
                }
            }
        }
        catch (IOException)
        {
            // Fall through to the fixed paths.
        }
        string arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        return new[] { $"/usr/lib/{arch}-linux-gnu/libstdc++.so.6", $"/lib/{arch}-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> CandidatePaths(string appDirectory)
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        return new[] { Path.Combine(appDirectory, Library), Path.Combine(appDirectory, "runtimes", rid, "native", Library) }.Where(File.Exists);
    }
}
