using Edge.Detection;
using Edge.Health;
using Edge.Service.Options;
using Edge.Service.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;

namespace Edge.Service.Pipeline;

public static class EdgePipelineServiceCollectionExtensions
{
    /// <summary>Registers the live pipeline (<c>edge run</c>): options Edge:Source, Edge:Detector, Edge:Follow,
    /// Edge:Tracking and Edge:Output (validated at start, naming the bad key), the warm-up state, the web view over the pipeline and the
    /// worker. Call after <see cref="Hosting.EdgeServiceCollectionExtensions.AddEdgeService"/>, so the worker stops
    /// before the event sinks it feeds.</summary>
    public static IServiceCollection AddEdgePipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SourceOptions>().Bind(configuration.GetSection(SourceOptions.Section)).ValidateOnStart();
        services.AddOptions<DetectorOptions>().Bind(configuration.GetSection(DetectorOptionsValidator.Section)).ValidateOnStart();
        services.AddOptions<FollowServiceOptions>().Bind(configuration.GetSection(FollowServiceOptions.Section)).ValidateOnStart();
        services.AddOptions<TrackingServiceOptions>().Bind(configuration.GetSection(TrackingServiceOptions.Section)).ValidateOnStart();
        services.AddOptions<OutputOptions>().Bind(configuration.GetSection(OutputOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SourceOptions>, SourceOptionsValidator>();
        services.AddSingleton<IValidateOptions<DetectorOptions>, DetectorOptionsValidator>();
        services.AddSingleton<IValidateOptions<FollowServiceOptions>, FollowServiceOptionsValidator>();
        services.AddSingleton<IValidateOptions<TrackingServiceOptions>, TrackingServiceOptionsValidator>();
        services.AddSingleton<IValidateOptions<OutputOptions>, OutputOptionsValidator>();

        // UseSystemd registers the notifier only under systemd; elsewhere this one is a no-op unless NOTIFY_SOCKET is set.
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<WarmupState>();
        services.AddSingleton<LivePipelineView>();
        services.AddSingleton<ILiveView>(sp => sp.GetRequiredService<LivePipelineView>());
        services.AddSingleton<IFollowControl>(sp => sp.GetRequiredService<LivePipelineView>());
        services.AddSingleton<ServicePipelineWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ServicePipelineWorker>());
        return services;
    }

    /// <summary>Resolves every pipeline option now, so a bad key fails the start before anything listens.</summary>
    public static void ValidatePipelineOptions(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<SourceOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DetectorOptions>>().Value;
        _ = services.GetRequiredService<IOptions<FollowServiceOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TrackingServiceOptions>>().Value;
        _ = services.GetRequiredService<IOptions<OutputOptions>>().Value;
    }
}
