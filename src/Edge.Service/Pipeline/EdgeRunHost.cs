using Edge.Service.Hosting;
using Edge.Service.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Edge.Service.Pipeline;

/// <summary><c>edge run</c>: the service host with the live pipeline. Returns the process exit code: 0 after
/// SIGTERM (every output flushed and closed), 1 when the pipeline failed, 2 for invalid configuration (the message
/// names the key).</summary>
public static class EdgeRunHost
{
    public static WebApplication Build(string[] args, string? configFile = null)
    {
        var builder = EdgeServiceHost.CreateBuilder(args, configFile);
        if (EdgeConfigurationCheck.Problems(builder.Configuration) is { Count: > 0 } problems)
        {
            throw new OptionsValidationException("Edge", typeof(EdgeConfigurationCheck), problems);
        }
        builder.Services.AddEdgePipeline(builder.Configuration);
        var app = builder.Build();
        EdgePipelineServiceCollectionExtensions.ValidatePipelineOptions(app.Services);
        return EdgeServiceHost.Configure(app);
    }

    public static async Task<int> RunAsync(string[] args, string? configFile, TextWriter error, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = Build(args, configFile);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync("edge: invalid configuration: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return 2;
        }
        await using (app.ConfigureAwait(false))
        {
            // RunAsync disposes the container on the way out: keep the worker to read its exit code afterwards.
            var worker = app.Services.GetRequiredService<ServicePipelineWorker>();
            try
            {
                await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                await error.WriteLineAsync("edge: invalid configuration: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
                return 2;
            }
            if (worker.FailureReason is { } reason)
            {
                await error.WriteLineAsync("edge: " + reason).ConfigureAwait(false);
            }
            return worker.ExitCode;
        }
    }
}
