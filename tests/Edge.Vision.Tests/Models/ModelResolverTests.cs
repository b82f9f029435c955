using Edge.Models;

namespace Edge.Tests.ModelTests;

public sealed class ModelResolverTests : IDisposable
{
    private readonly string _root = TestData.NewTempDir("resolver");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Touch(params string[] parts)
    {
        string p = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, "x");
        return p;
    }

    [Fact]
    public void MissingModelListsEverySearchedPath()
    {
        string env = Path.Combine(_root, "env");
        string cwd = Path.Combine(_root, "work");
        Directory.CreateDirectory(cwd);
        var resolver = new ModelResolver(env, cwd);

        var ex = Assert.Throws<EdgeException>(() => resolver.Resolve("nosuch"));

        Assert.Contains("'nosuch' not found", ex.Message);
        Assert.Contains(Path.Combine(env, "nosuch.onnx"), ex.Message);
        Assert.Contains(Path.Combine(cwd, "models", "nosuch.onnx"), ex.Message);
        Assert.Contains(Path.Combine(cwd, "nosuch"), ex.Message);
        Assert.Contains(ModelResolver.EnvironmentVariable, ex.Message);
        foreach (string dir in resolver.SearchDirectories)
        {
            Assert.Contains(Path.Combine(dir, "nosuch.onnx"), ex.Message);
        }
    }

    [Fact]
    public void NameWithOrWithoutExtensionIsFoundInTheModelsDirectoryFirst()
    {
        string env = Path.Combine(_root, "env");
        string inEnv = Touch("env", "det.onnx");
        string cwd = Path.Combine(_root, "work");
        Touch("work", "models", "det.onnx");
        var resolver = new ModelResolver(env, cwd);

        Assert.Equal(inEnv, resolver.Resolve("det"));
        Assert.Equal(inEnv, resolver.Resolve("det.onnx"));
    }

    [Fact]
    public void TheExecutablesRepositoryModelsAreSearchedFromAnyWorkingDirectory()
    {
        // ./edge run from elsewhere (the CLI lives in <repo>/.build/edge): the repository's manifest must still be found.
        var resolver = new ModelResolver(Path.Combine(_root, "env"), Path.Combine(_root, "work"));

        Assert.Contains(Path.Combine(TestData.RepoRoot, "models"), resolver.SearchDirectories);
    }

    [Fact]
    public void FallsBackToModelsUnderTheCurrentDirectory()
    {
        string cwd = Path.Combine(_root, "work");
        string p = Touch("work", "models", "det.onnx");
        var resolver = new ModelResolver(Path.Combine(_root, "empty-env"), cwd);
        Assert.Equal(p, resolver.Resolve("det"));
    }

    [Fact]
    public void PathsAreUsedAsGivenAndNotSearched()
    {
        string p = Touch("elsewhere", "m.onnx");
        string cwd = Path.Combine(_root, "work");
        Directory.CreateDirectory(cwd);
        var resolver = new ModelResolver(Path.Combine(_root, "env"), cwd);
        Assert.Equal(p, resolver.Resolve(p));
        Assert.Equal(p, resolver.Resolve("../elsewhere/m"));

        // A relative path that does not exist is not looked up in the model folders.
        Touch("env", "sub", "x.onnx");
        var ex = Assert.Throws<EdgeException>(() => resolver.Resolve("sub/x.onnx"));
        Assert.DoesNotContain(Path.Combine(_root, "env", "sub"), ex.Message);
    }
}
