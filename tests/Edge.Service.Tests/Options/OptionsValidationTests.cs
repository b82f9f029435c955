using Edge.Service.Hosting;
using Edge.Service.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Edge.Service.Tests.Options;

/// <summary>Bad configuration stops start-up with the offending key in the message.</summary>
public sealed class OptionsValidationTests
{
    private static string BuildFailure(params string[] args)
    {
        var builder = EdgeServiceHost.CreateBuilder(["--Logging:LogLevel:Default=None", .. args]);
        var ex = Assert.Throws<OptionsValidationException>(() => EdgeServiceHost.Build(builder));
        return ex.Message;
    }

    [Theory]
    [InlineData("--Edge:Mqtt:Port=70000", "Edge:Mqtt:Port must be in 1..65535 (got 70000)")]
    [InlineData("--Edge:Mqtt:Port=0", "Edge:Mqtt:Port")]
    [InlineData("--Edge:Mqtt:DeviceId=cam/1", "Edge:Mqtt:DeviceId")]
    [InlineData("--Edge:Mqtt:DeviceId=cam#", "Edge:Mqtt:DeviceId")]
    [InlineData("--Edge:Mqtt:QueueCapacity=0", "Edge:Mqtt:QueueCapacity")]
    [InlineData("--Edge:Mqtt:MaxInFlight=0", "Edge:Mqtt:MaxInFlight")]
    [InlineData("--Edge:Mqtt:ReconnectMaxSeconds=0.1", "Edge:Mqtt:ReconnectMaxSeconds")]
    [InlineData("--Edge:Web:Urls=http://0.0.0.0:8080", "Edge:Web:Token is required")]
    [InlineData("--Edge:Web:Urls=http://*:8080", "Edge:Web:Token is required")]
    [InlineData("--Kestrel:Endpoints:Lan:Url=http://0.0.0.0:8080", "Edge:Web:Token is required because Kestrel:Endpoints binds beyond loopback (http://0.0.0.0:8080)")]
    [InlineData("--Edge:Web:Urls=ftp://127.0.0.1:21", "Edge:Web:Urls")]
    [InlineData("--Edge:Web:MaxBodyBytes=10", "Edge:Web:MaxBodyBytes")]
    [InlineData("--Edge:Service:ShutdownTimeoutSeconds=0", "Edge:Service:ShutdownTimeoutSeconds")]
    [InlineData("--Edge:Service:WarmupHoldFile=release", "Edge:Service:WarmupHoldFile must be an absolute path")]
    [InlineData("--Edge:Service:WarmupHoldFile=/nonexistent-edge-dir/release", "Edge:Service:WarmupHoldFile")]
    public void InvalidValue_StopsStartup_NamingTheKey(string arg, string expected) =>
        Assert.Contains(expected, BuildFailure(arg));

    [Fact]
    public void AUrlWithoutSchemeIsNamedAlone_NotAlsoATokenError()
    {
        string message = BuildFailure("--Edge:Web:Urls=127.0.0.1:8080");

        Assert.Contains("Edge:Web:Urls entry '127.0.0.1:8080' must start with http:// or https://.", message);
        Assert.DoesNotContain("Edge:Web:Token", message);
    }

    [Fact]
    public void UnparsableNumber_StopsStartup_NamingTheKey()
    {
        // The configuration binder, not the validator, rejects this; its message names the key too.
        var builder = EdgeServiceHost.CreateBuilder(["--Logging:LogLevel:Default=None", "--Edge:Mqtt:Port=abc"]);
        var ex = Assert.Throws<InvalidOperationException>(() => EdgeServiceHost.Build(builder));
        Assert.Contains("Edge:Mqtt:Port", ex.Message);
    }

    [Fact]
    public void ShortToken_IsRejected_ForNonLoopbackBinding() =>
        Assert.Contains("Edge:Web:Token must be at least 16", BuildFailure("--Edge:Web:Urls=http://0.0.0.0:8080", "--Edge:Web:Token=short"));

    [Fact]
    public void EnvironmentVariables_AreBound_AndValidated()
    {
        // Environment configuration uses "__" for ':' (Edge__Mqtt__Port). Only hosts with MQTT enabled read this
        // key, and those are all in this class, which xUnit runs sequentially.
        Environment.SetEnvironmentVariable("Edge__Mqtt__QueueCapacity", "-5");
        try
        {
            Assert.Contains("Edge:Mqtt:QueueCapacity must be in 1..10000000 (got -5)", BuildFailure());
        }
        finally
        {
            Environment.SetEnvironmentVariable("Edge__Mqtt__QueueCapacity", null);
        }
    }

    [Fact]
    public async Task ValidateOnStart_AlsoGuardsAPlainBuild()
    {
        // Without EdgeServiceHost.Build's eager check, the host's start-up validation still refuses to start.
        var builder = EdgeServiceHost.CreateBuilder(["--Edge:Mqtt:Port=99999", "--Edge:Web:Urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=None"]);
        await using var app = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Edge:Mqtt:Port", ex.Message);
    }

    [Fact]
    public async Task ValidConfiguration_BindsEverySection()
    {
        var builder = EdgeServiceHost.CreateBuilder(["--Edge:Mqtt:Port=1884", "--Edge:Mqtt:DeviceId=porch", "--Edge:Web:Urls=http://0.0.0.0:9000",
            "--Edge:Web:Token=0123456789abcdef0123", "--Edge:Service:ShutdownTimeoutSeconds=4", "--Logging:LogLevel:Default=None"]);
        await using var app = EdgeServiceHost.Build(builder);
        var mqtt = app.Services.GetService(typeof(IOptions<MqttOptions>)) as IOptions<MqttOptions>;
        Assert.Equal(1884, mqtt!.Value.Port);
        Assert.Equal("porch", mqtt.Value.DeviceId);
        Assert.Equal(["http://0.0.0.0:9000"], app.Urls);
        var host = (IOptions<Microsoft.Extensions.Hosting.HostOptions>)app.Services.GetService(typeof(IOptions<Microsoft.Extensions.Hosting.HostOptions>))!;
        Assert.Equal(TimeSpan.FromSeconds(4), host.Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.8.9.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://192.168.1.20:8080", false)]
    [InlineData("http://camera.local:8080", false)]
    public void BindAddress_IsLoopback(string url, bool loopback) => Assert.Equal(loopback, BindAddress.IsLoopback(url));
}
