using Edge.Service.Metrics;
using Edge.Service.Options;
using Edge.Service.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Edge.Service.Hosting;

/// <summary>Builds the service host: configuration from appsettings.json, EDGE_-style environment variables
/// (<c>Edge__Mqtt__Port</c>) and the command line (<c>--Edge:Mqtt:Port=1884</c>), systemd integration
/// (Type=notify readiness, journald log format, SIGTERM -> graceful stop), validated options, Kestrel on the
/// configured URLs (loopback by default) and the web view.</summary>
public static class EdgeServiceHost
{
    /// <param name="args">Command-line configuration (<c>--Edge:Mqtt:Port=1884</c>).</param>
    /// <param name="configFile">An extra JSON file (<c>edge run --config</c>); environment variables and the command
    /// line still override it.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? configFile = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (configFile is not null)
        {
            builder.Configuration.AddJsonSettingsFile(configFile);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }
        builder.Host.UseSystemd();
        builder.Services.AddEdgeService(builder.Configuration);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Bodies are tiny JSON commands; Kestrel enforces the limit too, below the endpoint's own 413.
            kestrel.Limits.MaxRequestBodySize = 1_048_576;
            kestrel.AddServerHeader = false;
        });
        return builder;
    }

    /// <summary>Builds the app. Throws <see cref="OptionsValidationException"/> naming the bad key (for example
    /// <c>Edge:Web:Token</c> for a non-loopback binding without a token) before anything listens.</summary>
    public static WebApplication Build(WebApplicationBuilder builder) => Configure(builder.Build());

    /// <summary>Validates the service options of a built app, binds its URLs and maps the web view.</summary>
    public static WebApplication Configure(WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<MqttOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value;
        // Create the metric sets now so /metrics lists every series from the first scrape.
        _ = app.Services.GetRequiredService<EdgeMetrics>();
        _ = app.Services.GetRequiredService<WebMetrics>();
        RequireTokenForKestrelEndpoints(app.Configuration, web);
        app.Urls.Clear();
        foreach (var url in BindAddress.Split(web.Urls))
        {
            app.Urls.Add(url);
        }
        app.UseEdgeErrorBodies();
        app.MapEdgeWeb();
        return app;
    }

    /// <summary>Kestrel's own <c>Kestrel:Endpoints</c> section replaces <see cref="WebOptions.Urls"/> (Kestrel logs
    /// "Overriding address(es)"), so the token rule of <see cref="WebOptionsValidator"/> must hold for its URLs too:
    /// otherwise an environment variable such as <c>Kestrel__Endpoints__Lan__Url=http://0.0.0.0:8080</c> would expose
    /// the service without one.</summary>
    private static void RequireTokenForKestrelEndpoints(IConfiguration configuration, WebOptions web)
    {
        string[] exposed = [.. configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"])
            .OfType<string>()
            .Where(url => !BindAddress.IsLoopback(url))];
        if (exposed.Length > 0 && string.IsNullOrEmpty(web.Token))
        {
            throw new OptionsValidationException(WebOptions.Section, typeof(WebOptions),
                [$"{WebOptions.Section}:Token is required because Kestrel:Endpoints binds beyond loopback ({string.Join(", ", exposed)})."]);
        }
    }
}
