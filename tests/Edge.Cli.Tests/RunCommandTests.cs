namespace Edge.Tests;

/// <summary><c>edge run</c>'s own arguments; the service itself is tested in Edge.Service.Tests.</summary>
[Collection(InProcessCli.Name)]
public class RunCommandTests
{
    [Theory]
    [InlineData("bogusarg")]
    [InlineData("--bogus-option")]
    [InlineData("--Edge:Web:JpegQuality")] // the value would be taken from the next argument
    [InlineData("Edge:Web:JpegQuality=80")] // the provider's bare key=value form, easy to mistake for a typo
    public async Task AnArgumentThatIsNotASettingIsRefusedByName(string stray)
    {
        // Before, the configuration provider took the next argument as the stray word's value, so the source given
        // with --source vanished and the error blamed Edge:Source:Uri.
        var (exit, _, stderr) = await InProcessCli.RunAsync("run", stray, "--source", TestData.VideoPath);

        Assert.NotEqual(0, exit);
        Assert.Equal($"edge: run: unexpected argument '{stray}'; settings are given as --Edge:Section:Key=value.", stderr.TrimEnd());
    }
}
