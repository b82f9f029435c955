using Edge.Geometry;
using Edge.Service.Events;
using Edge.Service.Hosting;
using Edge.Service.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Starts the service host, raises --Probe:Events track events, prints "READY <url>", then runs until SIGTERM.
var builder = EdgeServiceHost.CreateBuilder(args);
var view = new IdleView();
builder.Services.AddSingleton<ILiveView>(view);
builder.Services.AddSingleton<IFollowControl>(view);
var app = EdgeServiceHost.Build(builder);
await app.StartAsync();
var events = app.Services.GetRequiredService<EventSequencer>();
int count = app.Configuration.GetValue("Probe:Events", 0);
for (int i = 1; i <= count; i++)
{
    events.Publish(EdgeEvent.TrackStarted(i, i, new BoxF(i, 0, i + 10, 20), 0.5f, "person"));
}
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"READY {address}");
await app.WaitForShutdownAsync();
Console.WriteLine("STOPPED");
return 0;

/// <summary>No frames, no tracks: the probe exercises hosting, sinks and shutdown only.</summary>
internal sealed class IdleView : ILiveView, IFollowControl
{
    private readonly LiveFrameBroadcaster _frames = new();

    public LiveFrame? Latest => _frames.Latest;
    public LiveTrackSet Tracks => LiveTrackSet.Empty;
    public FollowState Follow => FollowState.Idle;

    public ValueTask<LiveFrame> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken) =>
        _frames.WaitForFrameAsync(afterSequence, cancellationToken);

    public FollowResult SelectById(int trackId) => new(false, FollowState.Idle);
    public FollowResult SelectAtPoint(float x, float y) => new(false, FollowState.Idle);
    public FollowState Release() => FollowState.Idle;
}
