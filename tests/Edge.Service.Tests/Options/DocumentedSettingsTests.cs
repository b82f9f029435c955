using System.Text.RegularExpressions;
using Edge.Service.Options;
using Microsoft.Extensions.Configuration;

namespace Edge.Service.Tests.Options;

/// <summary>Every <c>Edge:...</c> key the documentation names is a setting <c>edge run</c> accepts.</summary>
public partial class DocumentedSettingsTests
{
    [GeneratedRegex(@"Edge(?::[A-Za-z][A-Za-z0-9]*|:[0-9]+)+")]
    private static partial Regex Key();

    [Theory]
    [InlineData("docs/service.md")]
    [InlineData("docs/jetson.md")]
    public void EveryEdgeKeyInTheDocIsASetting(string doc)
    {
        string text = File.ReadAllText(Edge.Tests.TestData.Require(Path.Combine(Edge.Tests.TestData.RepoRoot, doc)));
        string[] keys = [.. Key().Matches(text).Select(m => m.Value).Where(k => k.Count(c => c == ':') >= 2 && !k.StartsWith("Edge:Section:", StringComparison.Ordinal)).Distinct()];
        var env = Regex.Matches(text, @"Edge__[A-Za-z0-9_]+").Select(m => m.Value.Replace("__", ":", StringComparison.Ordinal));
        keys = [.. keys.Concat(env).Distinct()];
        Assert.NotEmpty(keys);

        // Keys without values: the check sees the key and has no value to convert.
        static IReadOnlyList<string> Check(string key) =>
            EdgeConfigurationCheck.Problems(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, (string?)null)]).Build());

        Assert.NotEmpty(Check("Edge:Web:NoSuchSetting"));
        Assert.Empty(keys.SelectMany(Check));
    }
}
