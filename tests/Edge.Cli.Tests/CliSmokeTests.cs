namespace Edge.Tests;

public class CliSmokeTests
{
    [Fact]
    public void RepoRootHoldsLauncher()
    {
        Assert.True(File.Exists(Path.Combine(TestData.RepoRoot, "edge")));
    }
}
