using Edge.Service.Hosting;
using Edge.Service.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Service.Tests.Fixtures;

/// <summary>The real service host (Kestrel, options, endpoints) on a dynamic port, fed by <see cref="SyntheticLiveView"/>.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";

    private ServiceHost(WebApplication app, SyntheticLiveView view, Uri baseAddress)
    {
        App = app;
        View = view;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }
    public SyntheticLiveView View { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }

    /// <param name="bindAddress">127.0.0.1 (loopback) or 0.0.0.0 (all interfaces: the token is required).</param>
    public static async Task<ServiceHost> StartAsync(string bindAddress = "127.0.0.1", string? token = null, params string[] extraArgs)
    {
        string[] args =
        [
            $"--Edge:Web:Urls=http://{bindAddress}:0",
            "--Edge:Mqtt:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            .. token is null ? Array.Empty<string>() : [$"--Edge:Web:Token={token}"],
            .. extraArgs,
        ];
        var builder = EdgeServiceHost.CreateBuilder(args);
        var view = new SyntheticLiveView();
        builder.Services.AddSingleton<ILiveView>(view);
        builder.Services.AddSingleton<IFollowControl>(view);
        var app = EdgeServiceHost.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        return new ServiceHost(app, view, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        View.Dispose();
    }
}
