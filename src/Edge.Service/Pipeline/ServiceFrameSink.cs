using System.Diagnostics;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Metrics;
using Edge.Service.Web;
using Edge.Sinks;
using Edge.Tracking;
using OpenCvSharp;
using CoreFollowState = Edge.FollowMe.FollowState;
using WebFollowState = Edge.Service.Web.FollowState;

namespace Edge.Service.Pipeline;

/// <summary>The live service's own sink (its own queue in a live run, so it may skip frames; events come from
/// <see cref="FrameEventDeriver"/>, an analyzer that sees every frame): updates the gauges, publishes the track list and the annotated JPEG to the
/// web view at most <c>Edge:Web:StreamMaxFps</c> times a second, reports health once a second and pings the
/// systemd watchdog. Per frame it only sets gauges and compares ids; the track list is published at the stream rate,
/// and a frame is rendered and encoded at that rate only while someone watches (a stream viewer or a snapshot asked
/// within <see cref="LiveFrameBroadcaster.DefaultDemandWindow"/>): on a device nobody is looking at, drawing and JPEG-encoding
/// every frame would take CPU from inference and make a new JPEG buffer each time.</summary>
public sealed class ServiceFrameSink(
    LivePipelineView view,
    EdgeMetrics metrics,
    HealthRegistry health,
    OverlayRenderer renderer,
    IReadOnlyList<string> classNames,
    double streamMaxFps,
    int jpegQuality,
    Action watchdog,
    Edge.Capture.ISourceStatus? source = null) : IFrameSink
{
    /// <summary>Health components this sink keeps fresh.</summary>
    public const string Capture = "capture", Inference = "inference", Sinks = "sinks";

    private static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(1);
    private readonly long _frameInterval = (long)(Stopwatch.Frequency / streamMaxFps);
    private readonly int[] _jpegParams = [(int)ImwriteFlags.JpegQuality, jpegQuality];
    private readonly Mat _canvas = new();
    private long _lastPublish;
    private long _lastHealth;
    private int _lastFollowTrack = -1;
    private FollowMode _lastFollowMode = FollowMode.Idle;

    public long Frames { get; private set; }

    public void OnFrame(FrameResult result, Mat frame)
    {
        Frames++;
        metrics.FramesProcessed.Inc();
        metrics.Fps.Set(result.PipelineFps);
        int confirmed = 0;
        foreach (ref readonly TrackView t in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result.Tracks))
        {
            if (t.State == TrackState.Confirmed)
            {
                confirmed++;
            }
        }
        metrics.LiveTracks.Set(confirmed);
        PublishFollow(result);

        long now = Stopwatch.GetTimestamp();
        if (now - _lastPublish >= _frameInterval)
        {
            _lastPublish = now;
            PublishTracks(result, confirmed);
            if (view.FramesWanted)
            {
                frame.CopyTo(_canvas);
                renderer.Render(_canvas, result);
                Cv2.ImEncode(".jpg", _canvas, out byte[] jpeg, _jpegParams);
                view.PublishFrame(jpeg, _canvas.Width, _canvas.Height);
                metrics.LiveFramesEncoded.Inc();
            }
        }
        if (Stopwatch.GetElapsedTime(_lastHealth, now) >= HealthInterval)
        {
            _lastHealth = now;
            // Frames still queued for this sink must not paint capture green while the source reconnects (the
            // worker reports that state).
            if (source is null || source.State == Edge.Capture.SourceState.Streaming)
            {
                health.Report(Capture, HealthStatus.Healthy, "frames arriving");
            }
            health.Report(Inference, HealthStatus.Healthy, "inferring");
            health.Report(Sinks, HealthStatus.Healthy, "writing");
            watchdog();
        }
    }

    public void Complete()
    {
    }

    public void Dispose()
    {
        _canvas.Dispose();
        renderer.Dispose();
    }

    private void PublishFollow(FrameResult result)
    {
        if (result.Follow is not { } follow)
        {
            return;
        }
        var c = follow.Detail;
        FollowMode mode = c.State switch
        {
            CoreFollowState.Locked => FollowMode.Locked,
            CoreFollowState.Searching or CoreFollowState.Lost => FollowMode.Lost,
            _ => FollowMode.Idle,
        };
        metrics.FollowState.Set((int)mode);
        int track = mode == FollowMode.Idle ? -1 : c.TrackId;
        if (mode == _lastFollowMode && track == _lastFollowTrack && mode != FollowMode.Locked)
        {
            return;
        }
        // Locked: refresh the box with the stream, not every frame (the state record is immutable, so each update allocates).
        if (mode == FollowMode.Locked && mode == _lastFollowMode && track == _lastFollowTrack
            && Stopwatch.GetTimestamp() - _lastPublish < _frameInterval)
        {
            return;
        }
        var since = mode == _lastFollowMode && view.Follow.Since is { } s ? s : DateTimeOffset.UtcNow;
        _lastFollowMode = mode;
        _lastFollowTrack = track;
        view.PublishFollow(mode == FollowMode.Idle
            ? WebFollowState.Idle with { Since = since }
            : new WebFollowState(mode, track >= 0 ? track : null, c.HasBox ? EventBox.From(c.Box) : null, since));
    }

    private void PublishTracks(FrameResult result, int confirmed)
    {
        var tracks = new LiveTrack[confirmed];
        int i = 0;
        foreach (ref readonly TrackView t in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result.Tracks))
        {
            if (t.State == TrackState.Confirmed)
            {
                string label = (uint)t.ClassId < (uint)classNames.Count ? classNames[t.ClassId] : "object";
                tracks[i++] = new LiveTrack(t.Id, t.Box, t.Score, label, t.Label, t.LabelConfidence);
            }
        }
        view.PublishTracks(new LiveTrackSet(result.FrameIndex, result.SourceWidth, result.SourceHeight, tracks));
    }
}
