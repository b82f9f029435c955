using Edge.Service.Hosting;
using Edge.Service.Options;
using Edge.Service.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Edge.Service.Tests.Options;

/// <summary><see cref="EdgeConfigurationCheck"/>: every key under Edge: is a setting and its value converts, or
/// <c>edge run</c> names it and exits 2 before anything starts.</summary>
public class EdgeConfigurationCheckTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    [Fact]
    public void TheShippedJetsonConfigurationHasOnlyKnownKeys()
    {
        string file = Edge.Tests.TestData.Require(Path.Combine(Edge.Tests.TestData.RepoRoot, "deploy", "jetson", "appsettings.Jetson.json"));
        IConfiguration config = new ConfigurationBuilder().AddJsonFile(file).Build();

        Assert.NotEmpty(config.GetSection("Edge").GetChildren());
        Assert.Empty(EdgeConfigurationCheck.Problems(config));
    }

    [Fact]
    public void ItKnowsEveryOptionsTypeTheServiceBindsFromConfiguration()
    {
        // A section registered in AddEdgeService/AddEdgePipeline but missing here would make every key of it "not a
        // setting" and stop edge run.
        var services = new ServiceCollection();
        IConfiguration config = Config();
        services.AddEdgeService(config);
        services.AddEdgePipeline(config);

        var bound = services.Select(d => d.ImplementationInstance?.GetType())
            .Where(t => t is { IsGenericType: true } && t.GetGenericTypeDefinition() == typeof(NamedConfigureFromConfigurationOptions<>))
            .Select(t => t!.GetGenericArguments()[0]);

        Assert.Equal(EdgeConfigurationCheck.Sections.Values.OrderBy(t => t.Name), bound.Distinct().OrderBy(t => t.Name));
    }

    [Fact]
    public void ListsNestedAndEnumAndEmptyValuesAsValid()
    {
        IConfiguration config = Config(
            ("Edge:Source:Uri", "a.mp4"), ("Edge:Source:Usb:Device", "/dev/video1"), ("Edge:Detector:Classes:0", "person"),
            ("Edge:Detector:TensorRt:Fp16", "False"), ("Edge:Follow:Steering", "yawforward"), ("Edge:Web:JpegQuality", "70"),
            ("Edge:Source:Fps", "12.5"), ("Edge:Mqtt:Password", ""), ("Edge:Web:Token", ""), ("Logging:LogLevel:Default", "Warning"),
            ("Edge:source:LOOP", "true"));

        Assert.Empty(EdgeConfigurationCheck.Problems(config));
    }

    [Theory]
    [InlineData("7", false)]
    [InlineData("1", false)]
    [InlineData("PanTilt,YawForward", false)]
    [InlineData("pantilt", true)]
    public void AnEnumTakesOnlyItsNames(string value, bool valid)
    {
        // The binder's converter also takes numbers and comma lists, which bind to values the code does not handle.
        IReadOnlyList<string> problems = EdgeConfigurationCheck.Problems(Config(("Edge:Follow:Steering", value)));

        Assert.Equal(valid ? [] : [$"Edge:Follow:Steering: '{value}' is not one of PanTilt, YawForward."], problems);
    }

    [Fact]
    public void NamesEveryUnknownKeyAndUnconvertibleValue()
    {
        IConfiguration config = Config(
            ("Edge:Web:JpegQualty", "80"), ("Edge:Folow:Select", "largest"), ("Edge:Web:JpegQuality", "abc"),
            ("Edge:Follow:Steering", "Foo"), ("Edge:Source:Loop", "yes"), ("Edge:Detector:TensorRt:WorkspaceMb", "1.5"),
            ("Edge:Source:Usb", "/dev/video0"), ("Edge:Source:Uri:Path", "x"), ("Edge:Web:StreamMaxFps", ""));

        IReadOnlyList<string> problems = EdgeConfigurationCheck.Problems(config);

        Assert.Equal(9, problems.Count);
        Assert.Contains("Edge:Web:StreamMaxFps: '' is not a number.", problems); // the binder throws on an empty number
        Assert.Contains(problems, p => p.StartsWith("Edge:Web:JpegQualty is not a setting (Edge:Web has: ", StringComparison.Ordinal) && p.Contains("JpegQuality"));
        Assert.Contains(problems, p => p.StartsWith("Edge:Folow is not a setting (sections: ", StringComparison.Ordinal));
        Assert.Contains("Edge:Web:JpegQuality: 'abc' is not a whole number.", problems);
        Assert.Contains("Edge:Follow:Steering: 'Foo' is not one of PanTilt, YawForward.", problems);
        Assert.Contains("Edge:Source:Loop: 'yes' is not true or false.", problems);
        Assert.Contains("Edge:Detector:TensorRt:WorkspaceMb: '1.5' is not a whole number.", problems);
        Assert.Contains("Edge:Source:Usb is a section, not a value (got '/dev/video0').", problems);
        Assert.Contains("Edge:Source:Uri is a value, not a section.", problems);
    }

    [Fact]
    public async Task ABrokenConfigurationFileSaysWhereItBreaks()
    {
        string file = Path.Combine(Edge.Tests.TestData.NewTempDir("config"), "bad.json");
        File.WriteAllText(file, """{"Edge": {"Web": {""");

        var ex = await Assert.ThrowsAsync<EdgeException>(() => EdgeRunHost.RunAsync([], file, TextWriter.Null, CancellationToken.None));

        Assert.StartsWith($"{file}: not valid JSON: ", ex.Message);
        Assert.Contains("BytePositionInLine: 18", ex.Message);
    }

    [Fact]
    public async Task EdgeRunExits2NamingTheKeys_BeforeBindingAnything()
    {
        using var error = new StringWriter();

        int exit = await EdgeRunHost.RunAsync(["--Edge:Source:Uri=none.mp4", "--Edge:Web:JpegQuality=abc", "--Edge:Web:JpegQualty=80"], null, error, CancellationToken.None);

        Assert.Equal(2, exit);
        string message = error.ToString();
        Assert.StartsWith("edge: invalid configuration: Edge:Web:JpegQuality: 'abc' is not a whole number.", message);
        Assert.Contains("Edge:Web:JpegQualty is not a setting", message);
    }
}
