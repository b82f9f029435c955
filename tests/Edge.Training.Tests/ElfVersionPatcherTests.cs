using Edge.Tests;
using Edge.Training.Native;

namespace Edge.Training.Tests;

public sealed class ElfVersionPatcherTests
{
    /// <summary>The unpatched library as NuGet ships it (the copy in the output folder is patched at start-up).</summary>
    private static string PristineLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return TestData.Require(Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
    }

    [Fact]
    public void Weakens_only_the_missing_version_and_is_idempotent()
    {
        string dir = TestData.NewTempDir("elf");
        string lib = Path.Combine(dir, "libLibTorchSharp.so");
        File.Copy(PristineLibrary(), lib);
        // A GCC 12 host: everything up to GLIBCXX_3.4.30 exists (facts from the issue, readelf -V on the file).
        bool Gcc12(string v) => v != "GLIBCXX_3.4.31" && v != "GLIBCXX_3.4.32";

        var first = ElfVersionPatcher.Relax(lib, "libstdc++.so.6", Gcc12);
        Assert.Equal(["GLIBCXX_3.4.32"], first.WeakenedVersions);
        Assert.Equal(["_ZSt21ios_base_library_initv@GLIBCXX_3.4.32"], first.ClearedSymbols);

        byte[] afterFirst = File.ReadAllBytes(lib);
        var second = ElfVersionPatcher.Relax(lib, "libstdc++.so.6", Gcc12);
        Assert.False(second.Changed);
        Assert.Equal(afterFirst, File.ReadAllBytes(lib));
        // Exactly 4 bytes differ from the original: two of vna_flags (0 -> 2) and two of one .gnu.version entry.
        byte[] original = File.ReadAllBytes(PristineLibrary());
        int changed = original.Zip(afterFirst).Count(p => p.First != p.Second);
        Assert.InRange(changed, 2, 4);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Leaves_the_library_alone_when_the_host_has_every_version()
    {
        string dir = TestData.NewTempDir("elf");
        string lib = Path.Combine(dir, "libLibTorchSharp.so");
        File.Copy(PristineLibrary(), lib);
        var result = ElfVersionPatcher.Relax(lib, "libstdc++.so.6", _ => true);
        Assert.False(result.Changed);
        Assert.Equal(File.ReadAllBytes(PristineLibrary()), File.ReadAllBytes(lib));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Reads_the_versions_the_host_libstdcxx_defines()
    {
        string host = TorchRuntime.FindHostLibStdCxx() ?? throw new InvalidOperationException("no libstdc++.so.6 on this host");
        var versions = ElfVersionPatcher.DefinedVersions(host);
        // Every libstdc++ since GCC 4.1 defines GLIBCXX_3.4 and GLIBCXX_3.4.9 (GCC 4.3); GCC 12 ends at 3.4.30.
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("GLIBCXX_3.4.9", versions);
    }
}
