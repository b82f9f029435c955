using System.Diagnostics;
using Edge.Appearance;
using Edge.Capture;
using Edge.Detection;
using Edge.FollowMe;
using Edge.Health;
using Edge.Models;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Metrics;
using Edge.Service.Options;
using Edge.Sinks;
using Edge.Tracking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SourceOptions = Edge.Service.Options.SourceOptions;

namespace Edge.Service.Pipeline;

/// <summary>Runs the same <see cref="DetectionPipeline"/> as <c>edge follow</c> (detector → <see cref="TrackingAnalyzer"/>
/// → <see cref="FollowAnalyzer"/> → sinks) inside the host. <see cref="StartAsync"/> does the warm-up (open the source,
/// load the model, which runs one warm-up inference) and returns only then, so the host's ApplicationStarted, and with
/// it systemd's READY=1, come after warm-up while Kestrel already answers /healthz with 503. The frame loop pings the
/// systemd watchdog (WATCHDOG=1) from the output thread, so a stalled capture or a hung inference stops the pings and
/// systemd restarts the unit. <see cref="StopAsync"/> (SIGTERM) stops decoding, lets in-flight frames finish and
/// completes every sink (MOT, detections JSONL, video); the event sinks close after it (MQTT drains in its own
/// StopAsync, the JSONL event log when the container disposes it).</summary>
public sealed class ServicePipelineWorker : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>Health component mirroring <see cref="WarmupState"/>.</summary>
    public const string Warmup = "warmup";

    private readonly SourceOptions _source;
    private readonly DetectorOptions _detectorOptions;
    private readonly FollowServiceOptions _follow;
    private readonly TrackingServiceOptions _tracking;
    private readonly OutputOptions _output;
    private readonly WebOptions _web;
    private readonly ServiceOptions _service;
    private readonly LivePipelineView _view;
    private readonly EventSequencer _events;
    private readonly EdgeMetrics _metrics;
    private readonly HealthRegistry _health;
    private readonly WarmupState _warmup;
    private readonly ISystemdNotifier _notifier;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _watchdogInterval;
    private readonly List<IDisposable> _owned = [];
    private long _lastWatchdog;
    private int _disposed;
    private IObjectDetector? _detector;
    private TimedFrameSource? _frameSource;
    private ReconnectingFrameSource? _capture;
    private readonly List<Counter> _sinkDrops = [];
    private long _reportedReconnects;
    private long _reportedCaptureDrops;
    private long[] _reportedSinkDrops = [];
    private DetectionPipeline? _pipeline;
    private FrameEventDeriver? _deriver;
    private Task _run = Task.CompletedTask;

    public ServicePipelineWorker(
        IOptions<SourceOptions> source,
        IOptions<DetectorOptions> detector,
        IOptions<FollowServiceOptions> follow,
        IOptions<TrackingServiceOptions> tracking,
        IOptions<OutputOptions> output,
        IOptions<WebOptions> web,
        IOptions<ServiceOptions> service,
        LivePipelineView view,
        EventSequencer events,
        EdgeMetrics metrics,
        HealthRegistry health,
        WarmupState warmup,
        ISystemdNotifier notifier,
        IHostApplicationLifetime lifetime,
        ILogger<ServicePipelineWorker> logger)
    {
        _source = source.Value;
        _detectorOptions = detector.Value;
        _follow = follow.Value;
        _tracking = tracking.Value;
        _output = output.Value;
        _web = web.Value;
        _service = service.Value;
        _view = view;
        _events = events;
        _metrics = metrics;
        _health = health;
        _warmup = warmup;
        _notifier = notifier;
        _lifetime = lifetime;
        _logger = logger;
        _watchdogInterval = WatchdogInterval();
        var stale = TimeSpan.FromSeconds(Math.Max(_source.StallTimeoutSeconds, 2));
        _health.Expect(Warmup);
        _health.Expect(ServiceFrameSink.Capture, stale);
        _health.Expect(ServiceFrameSink.Inference, stale);
        _health.Expect(ServiceFrameSink.Sinks, stale);
    }

    /// <summary>Process exit code the CLI returns after the host stops: 0 for SIGTERM or a finished file, 1 when the
    /// pipeline failed (so systemd's Restart=on-failure restarts the unit).</summary>
    public int ExitCode { get; private set; }

    /// <summary>Why the pipeline failed (warm-up or run); null while it has not.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Frames the service sink has seen.</summary>
    public long Frames => _sink?.Frames ?? 0;

    private ServiceFrameSink? _sink;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.ApplicationStopping);
        try
        {
            await Task.Run(WarmUp, linked.Token).ConfigureAwait(false);
            await HoldWarmupAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // SIGTERM during warm-up is an ordinary stop (exit 0), not a failed start.
            _logger.LogInformation("Stopped during warm-up");
            return;
        }
        catch (OperationCanceledException ex) when (linked.IsCancellationRequested)
        {
            _warmup.MarkFailed(ex.Message);
            _health.Report(Warmup, HealthStatus.Unhealthy, "failed: " + ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            // A missing file, camera or model is one line in the log; anything unexpected keeps its stack trace.
            // Stopping instead of throwing keeps the host from logging the failure again with its trace.
            if (ex is not EdgeException)
            {
                _logger.LogCritical(ex, "Warm-up failed");
            }
            Fail(ex.Message);
            return;
        }
        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // SIGTERM arrived as the (uncancellable) model load finished: do not announce a pipeline that never runs.
            _logger.LogInformation("Stopped during warm-up");
            return;
        }
        string detail = $"{_frameSource!.Name} {_frameSource.Width}x{_frameSource.Height}; {_detector!.Model.Name} on {_detector.ExecutionProvider}";
        _warmup.MarkReady(detail);
        _health.Report(Warmup, HealthStatus.Healthy, "ready: " + detail);
        // UseSystemd's lifetime sends READY=1 at ApplicationStarted when systemd started us; saying it here too keeps
        // readiness tied to warm-up for any NOTIFY_SOCKET supervisor (duplicates are harmless, sd_notify(3)).
        _notifier.Notify(new ServiceState("READY=1\nSTATUS=running: " + detail));
        _logger.LogInformation("Warm-up done ({Detail}); pipeline running", detail);
        _run = Task.Run(RunAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("The pipeline did not drain within the shutdown timeout");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already logged by RunAsync.
        }
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        _owned.Clear();
        _stopping.Dispose();
    }

    /// <summary>Edge:Service:WarmupHoldFile (a test hook, off by default): everything is loaded, but the warm-up
    /// counts as unfinished (/healthz 503, no READY=1) until the file exists.</summary>
    private async Task HoldWarmupAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_service.WarmupHoldFile))
        {
            return;
        }
        string detail = $"held until {_service.WarmupHoldFile} exists";
        _warmup.MarkWarmingUp(detail);
        _health.Report(Warmup, HealthStatus.Unhealthy, "warming up: " + detail);
        _logger.LogInformation("Warm-up {Detail} (Edge:Service:WarmupHoldFile)", detail);
        while (!File.Exists(_service.WarmupHoldFile))
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A camera that did not take the requested Edge:Source:Width/Height (its driver picks the nearest mode
    /// it has) is a warning; the size it gave is in the "Warm-up done" line either way.</summary>
    private void WarnOnCameraSize(string uri)
    {
        bool differs = (_source.Width > 0 && _source.Width != _capture!.Width) || (_source.Height > 0 && _source.Height != _capture!.Height);
        if (differs && FrameSourceFactory.Classify(uri) == FrameSourceKind.Camera)
        {
            _logger.LogWarning("The camera gave {Width}x{Height}, not the {RequestedWidth}x{RequestedHeight} asked by {Section}:Width/Height",
                _capture!.Width, _capture.Height, _source.Width, _source.Height, SourceOptions.Section);
        }
    }

    private void WarmUp()
    {
        string uri = _source.Resolve() ?? throw new EdgeException($"{SourceOptions.Section}:Uri is not set.");
        _warmup.MarkWarmingUp($"opening {uri}");
        _health.Report(Warmup, HealthStatus.Unhealthy, $"warming up: opening {uri}");
        // Live sources retry their first open and reconnect with backoff; files end or loop (Edge:Source:Loop).
        _capture = FrameSourceFactory.Open(uri, _source.ToCapture());
        _capture.Status.StateChanged += ReportCapture;
        _frameSource = new TimedFrameSource(_capture, _metrics.Latency("capture"));
        _owned.Add(_frameSource);

        _warmup.MarkWarmingUp($"loading {_detectorOptions.Model} and running the first inference");
        _health.Report(Warmup, HealthStatus.Unhealthy, $"warming up: loading {_detectorOptions.Model}");
        try
        {
            _ = new ModelResolver().Resolve(_detectorOptions.Model);
        }
        catch (EdgeException ex)
        {
            // Named by its key, like the crop models (Edge:Tracking:Reid): the operator fixes configuration, not code.
            throw new EdgeException($"{DetectorOptionsValidator.Section}:Model: {ex.Message}", ex);
        }
        _detector = YoloDetector.Create(_detectorOptions, _logger);
        _owned.Add(_detector);

        // A live source not up yet (RetryFirstOpen) has no size or frame rate, which the tracker, Follow Me and the
        // video outputs are built for: the service starts degraded and RunAsync builds them once the source opens.
        if (_capture.Width > 0)
        {
            BuildPipeline();
        }
    }

    /// <summary>Builds the tracker, Follow Me, the sinks and the pipeline for the open source's size and frame rate.</summary>
    private void BuildPipeline()
    {
        WarnOnCameraSize(_source.Resolve()!);
        IObjectDetector detector = _detector!;
        TimedFrameSource frames = _frameSource!;

        // Crop models (Edge:Tracking): the same construction as edge track/follow --reid/--classifier.
        var classNames = detector.Model.ClassNames;
        var crops = _tracking.ToSettings();
        var tracking = CropModelFactory.CreateTracking(crops, TrackingServiceOptions.Key, _follow.Tracker, frames.Fps, classNames);
        _owned.Add(tracking);
        var classification = CropModelFactory.CreateClassification(crops, TrackingServiceOptions.Key, classNames);
        if (classification is not null)
        {
            _owned.Add(classification);
        }
        var followOptions = CropModelFactory.ForAppearanceSource(crops, new FollowOptions { FrameRate = (float)(frames.Fps > 0 ? frames.Fps : 30) });
        var steering = FollowAnalyzer.DefaultSteering(_follow.Steering);
        TargetSelection? initial = _follow.InitialSelection();
        initial?.CheckInside(frames.Width, frames.Height, FollowServiceOptions.Section + ":Select");
        var follow = new FollowAnalyzer(followOptions, steering, initial);
        CropModelFactory.Connect(crops, tracking, follow);
        if (crops.UsesReidModel || classification is not null)
        {
            _logger.LogInformation("Crop models: re-id {Reid}, classifier {Classifier}", crops.Reid ?? "histogram", crops.Classifier ?? "none");
        }

        var deriver = new FrameEventDeriver(classNames, _follow.CommandRateHz, steering.DesiredHeight, e => _events.Publish(e));
        _deriver = deriver;
        _sink = new ServiceFrameSink(_view, _metrics, _health, new OverlayRenderer(classNames), classNames,
            _web.StreamMaxFps, _web.JpegQuality, PingWatchdog, _capture!.Status);
        // Pixel-reading sinks first, the drawing video sink last (IFrameSink's contract).
        var sinks = new List<IFrameSink>();
        if (_output.PathOf(_output.Record) is { } record)
        {
            // First: it records the frame before any sink draws on it (FrameRecorder's contract).
            sinks.Add(new Edge.Recording.FrameRecorder(record, frames.Fps));
        }
        if (_output.PathOf(_output.Detections) is { } detections)
        {
            sinks.Add(new JsonlDetectionSink(detections, classNames));
        }
        if (_output.PathOf(_output.Mot) is { } mot)
        {
            sinks.Add(new MotResultsSink(mot, TrackOutputFilter.ByteTrack));
        }
        sinks.Add(_sink);
        if (_output.PathOf(_output.Video) is { } video)
        {
            sinks.Add(new AnnotatedVideoSink(video, frames.Fps, new OverlayRenderer(classNames), segments: _output.VideoSegments()));
        }
        // Each sink is its own pipeline sink: a live (or looping) run gives every sink its own bounded queue
        // (SinkOverflow.Auto = Drop there), so a slow video writer drops its own frames instead of stalling capture.
        var timed = new List<IFrameSink>(sinks.Count);
        foreach (var sink in sinks)
        {
            var wrapped = new TimedSink(sink, _metrics.Latency("sinks"));
            _owned.Add(wrapped);
            timed.Add(wrapped);
            _sinkDrops.Add(_metrics.SinkDropped(TimedSink.NameOf(sink)));
        }
        _reportedSinkDrops = new long[timed.Count];
        var trackStep = CropStageMetrics.Embed(new TimedAnalyzer(tracking, _metrics.Latency("track")), _metrics);
        IFrameAnalyzer[] analyzers = classification is null
            ? [trackStep, new TimedAnalyzer(follow, _metrics.Latency("follow")), deriver]
            : [trackStep, CropStageMetrics.Classify(classification, _metrics), new TimedAnalyzer(follow, _metrics.Latency("follow")), deriver];
        _pipeline = new DetectionPipeline(
            new TimedDetector(detector, _metrics),
            analyzers,
            timed,
            new DetectionPipelineOptions { Realtime = frames.IsLive, SinkOverflow = SinkOverflow.Auto });
        _view.Attach(follow);
    }

    private async Task RunAsync()
    {
        // The pipeline stops a ReconnectingFrameSource itself only when it is handed one directly; ours sits under
        // the timing wrapper, so cut its backoff wait on SIGTERM here.
        using var stopCapture = _stopping.Token.Register(static s => ((ReconnectingFrameSource)s!).Stop(), _capture!);
        using var metricsTimer = new Timer(static s => ((ServicePipelineWorker)s!).SyncCounters(), this, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        try
        {
            if (_pipeline is null)
            {
                // The live source was not up at warm-up: wait for it (SIGTERM ends the wait), then build for its size.
                if (!_capture!.WaitUntilOpen())
                {
                    if (!_stopping.IsCancellationRequested)
                    {
                        Fail($"live source {_capture.Name} never opened: {_capture.Status.LastError}");
                    }
                    return;
                }
                lock (_sinkDrops)
                {
                    BuildPipeline(); // under SyncCounters' lock: it reads the sink counters this registers
                }
            }
            PipelineStatistics stats = await _pipeline!.RunAsync(_frameSource!, _stopping.Token).ConfigureAwait(false);
            SyncCounters();
            if (_stopping.IsCancellationRequested)
            {
                _logger.LogInformation("Pipeline stopped after {Frames} frames ({Fps:0.0} fps); outputs flushed", stats.Frames, stats.Fps);
                return;
            }
            if (_frameSource!.IsLive)
            {
                // Only after ReconnectOptions.MaxConsecutiveFailures (unset: never): outages otherwise reconnect.
                Fail($"live source {_frameSource.Name} stopped delivering frames after {stats.Frames}: {_capture!.Status.LastError}");
                return;
            }
            // A finished file: keep serving the last frame and the API; health turns red (capture) and the watchdog
            // stops, which under systemd restarts the unit (set Edge:Source:Loop for a demo that never ends).
            _logger.LogInformation("Source {Source} ended after {Frames} frames ({Fps:0.0} fps)", _frameSource.Name, stats.Frames, stats.Fps);
            _health.Report(ServiceFrameSink.Capture, HealthStatus.Unhealthy, $"source ended after {stats.Frames} frames");
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "Pipeline failed");
            Fail(ex.Message);
        }
        finally
        {
            // The pipeline has drained (or never started): close the consumers' track tables.
            _deriver?.EndAll();
        }
    }

    /// <summary>Copies the source's and the pipeline's cumulative counters into the Prometheus counters (deltas, so
    /// the exported counters stay monotonic). Runs on a timer so reconnects show while no frame flows.</summary>
    private void SyncCounters()
    {
        lock (_sinkDrops)
        {
            var status = _capture!.Status;
            long reconnects = status.Reconnects;
            _metrics.SourceReconnects.Inc(reconnects - _reportedReconnects);
            _reportedReconnects = reconnects;
            if (_pipeline?.Current is not { } current)
            {
                return;
            }
            long dropped = current.FramesDropped;
            _metrics.Dropped("capture").Inc(dropped - _reportedCaptureDrops);
            _reportedCaptureDrops = dropped;
            for (int i = 0; i < _sinkDrops.Count && i < current.Sinks.Count; i++)
            {
                long d = current.Sinks[i].Dropped;
                _sinkDrops[i].Inc(d - _reportedSinkDrops[i]);
                _reportedSinkDrops[i] = d;
            }
        }
    }

    /// <summary>Capture health follows the source's state: reconnecting (or still connecting) is unhealthy with the
    /// last error, streaming is healthy again at once (the frame sink then keeps it fresh).</summary>
    private void ReportCapture(SourceStatusSnapshot s)
    {
        switch (s.State)
        {
            case SourceState.Streaming:
                _health.Report(ServiceFrameSink.Capture, HealthStatus.Healthy, s.Reconnects > 0 ? $"streaming (reconnected {s.Reconnects}x)" : "streaming");
                break;
            case SourceState.Reconnecting:
                _health.Report(ServiceFrameSink.Capture, HealthStatus.Unhealthy, $"reconnecting after {s.FailedAttempts} failed attempts: {s.LastError}");
                break;
            case SourceState.Connecting:
                _health.Report(ServiceFrameSink.Capture, HealthStatus.Unhealthy, $"connecting: {s.LastError ?? "opening"}");
                break;
        }
        SyncCounters();
    }

    private void Fail(string reason)
    {
        ExitCode = 1;
        FailureReason = reason;
        _warmup.MarkFailed(reason);
        _health.Report(Warmup, HealthStatus.Unhealthy, "pipeline failed: " + reason);
        _logger.LogCritical("Stopping the service: {Reason}", reason);
        _lifetime.StopApplication();
    }

    /// <summary>sd_watchdog_enabled(3): systemd passes WATCHDOG_USEC (and WATCHDOG_PID, which must be us); ping at
    /// half the period as sd_notify(3) recommends. 0 disables pinging.</summary>
    private static long WatchdogInterval()
    {
        if (!long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long usec) || usec <= 0)
        {
            return 0;
        }
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { Length: > 0 } pid && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return 0;
        }
        return (long)(usec / 2e6 * Stopwatch.Frequency);
    }

    /// <summary>Called by the service sink about once a second from the output thread, i.e. only while frames flow.</summary>
    private void PingWatchdog()
    {
        long now = Stopwatch.GetTimestamp();
        if (_watchdogInterval > 0 && now - _lastWatchdog >= Math.Min(_watchdogInterval, Stopwatch.Frequency))
        {
            _lastWatchdog = now;
            _notifier.Notify(WatchdogPing);
        }
    }

    private static readonly ServiceState WatchdogPing = new("WATCHDOG=1");
}
