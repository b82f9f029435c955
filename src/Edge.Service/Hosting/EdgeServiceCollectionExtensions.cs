using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Metrics;
using Edge.Service.Mqtt;
using Edge.Service.Options;
using Edge.Service.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Service.Hosting;

public static class EdgeServiceCollectionExtensions
{
    /// <summary>Registers options (bound from Edge:Mqtt, Edge:Web, Edge:Service and validated at start), metrics,
    /// health, the event sinks (MQTT when Edge:Mqtt:Enabled, JSONL when Edge:Service:EventLogPath) and the web
    /// view's services. The pipeline registers <see cref="ILiveView"/> and <see cref="IFollowControl"/>.</summary>
    public static IServiceCollection AddEdgeService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.Section)).ValidateOnStart();
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section)).ValidateOnStart();
        services.AddOptions<ServiceOptions>().Bind(configuration.GetSection(ServiceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<ServiceOptions>>((host, service) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(service.Value.ShutdownTimeoutSeconds));

        services.AddSingleton<MetricsRegistry>();
        services.AddSingleton<EdgeMetrics>();
        services.AddSingleton<HealthRegistry>();
        services.AddSingleton<WebMetrics>();
        services.AddSingleton(sp => new ControlAuthorization(sp.GetRequiredService<IOptions<WebOptions>>().Value));
        services.AddSingleton(sp => new StreamLimiter(sp.GetRequiredService<IOptions<WebOptions>>().Value.StreamMaxClients));
        services.AddSingleton(sp => new EventSequencer(sp.GetServices<IEventSink>(), sp.GetService<ILogger<EventSequencer>>(), sp.GetRequiredService<HealthRegistry>()));

        if (configuration.GetValue(MqttOptions.Section + ":Enabled", true))
        {
            services.AddSingleton(sp =>
            {
                var publisher = new MqttPublisher(sp.GetRequiredService<IOptions<MqttOptions>>(),
                    sp.GetService<ILogger<MqttPublisher>>(), sp.GetRequiredService<HealthRegistry>());
                RegisterMetrics(sp.GetRequiredService<MetricsRegistry>(), publisher);
                return publisher;
            });
            services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<MqttPublisher>());
            services.AddHostedService(sp => sp.GetRequiredService<MqttPublisher>());
        }
        if (configuration[ServiceOptions.Section + ":EventLogPath"] is { Length: > 0 } path)
        {
            // Disposed by the container after the hosted services stop: the file is flushed and closed last.
            services.AddSingleton(_ => new JsonlEventSink(path));
            services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<JsonlEventSink>());
        }
        return services;
    }

    private static void RegisterMetrics(MetricsRegistry registry, MqttPublisher publisher)
    {
        registry.CreateObserved("edge_mqtt_published_total", "Events acknowledged by the MQTT broker.", MetricType.Counter, () => publisher.Stats.Published);
        registry.CreateObserved("edge_mqtt_dropped_total", "Events dropped because the MQTT queue was full.", MetricType.Counter, () => publisher.Stats.Dropped);
        registry.CreateObserved("edge_mqtt_buffered", "Events waiting for the MQTT broker.", MetricType.Gauge, () => publisher.Stats.Buffered);
        registry.CreateObserved("edge_mqtt_connected", "1 when connected to the MQTT broker.", MetricType.Gauge, () => publisher.Stats.Connected ? 1 : 0);
        registry.CreateObserved("edge_mqtt_reconnects_total", "Successful MQTT reconnections.", MetricType.Counter, () => publisher.Stats.Reconnects);
    }
}
