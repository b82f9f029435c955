using Edge.Appearance;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.FollowMe;

/// <summary>The Follow Me step of the video pipeline, after tracking: feeds the tracks (with their appearance rows
/// and the camera motion computed by <see cref="TrackingAnalyzer"/>) to the <see cref="TargetLock"/>, turns its
/// command into steering outputs and publishes both on the frame result.</summary>
public sealed class FollowAnalyzer : IFrameAnalyzer
{
    private static readonly string[] StateNames = Enum.GetNames<FollowState>().Select(n => n.ToLowerInvariant()).ToArray();
    private readonly FollowOptions _options;
    private readonly SteeringController _steering;
    private readonly Lock _selectionLock = new();
    private TargetSelection? _pendingSelection;
    private bool _releaseRequested;
    private TargetLock? _lock;
    private float[] _trackAppearance = [];
    private bool[] _trackFresh = [];
    private double _lastSeconds = double.NaN;

    public FollowAnalyzer(FollowOptions options, SteeringController steering, TargetSelection? initialSelection)
    {
        options.Validate();
        _options = options;
        _steering = steering;
        _pendingSelection = initialSelection;
    }

    /// <summary>Conservative gains for a gimbal or a slow ground robot: proportional on the normalised offset,
    /// a little integral for steady tracking, a 2 % dead-band so the camera does not hunt, outputs in -1..1
    /// (fraction of full rate) with a rate limit of 2 per second. Tune per platform.</summary>
    public static SteeringController DefaultSteering(SteeringMode mode)
    {
        var axis = new PidSettings(Kp: 0.8f, Ki: 0.05f, Kd: 0.1f, DeadBand: 0.02f, OutputMin: -1f, OutputMax: 1f, MaxRate: 2f);
        return new SteeringController(mode, axis, axis);
    }

    /// <summary>When set, receives the target id and search state after each frame so the tracking analyzer's
    /// embedding scheduler embeds the target and, while it is searched for, every candidate first.</summary>
    public AppearanceDemand? Demand { get; set; }

    /// <summary>Latest command (for tests and the live view).</summary>
    public FollowCommand Last { get; private set; } = FollowCommand.Idle;

    /// <summary>Queues a new selection, applied on the next frame (thread-safe hand-over from a control endpoint).</summary>
    public void Select(TargetSelection selection)
    {
        lock (_selectionLock)
        {
            _pendingSelection = selection;
            _releaseRequested = false;
        }
    }

    /// <summary>Queues a release, applied on the next frame.</summary>
    public void Release()
    {
        lock (_selectionLock)
        {
            _pendingSelection = null;
            _releaseRequested = true;
        }
    }

    public void Analyze(FrameResult result, Mat frame)
    {
        _lock ??= new TargetLock(_options, result.SourceWidth, result.SourceHeight);
        lock (_selectionLock)
        {
            if (_releaseRequested)
            {
                _lock.Release();
                _releaseRequested = false;
            }
            if (_pendingSelection is { } selection)
            {
                _lock.Select(selection);
                _pendingSelection = null;
            }
        }

        var tracks = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result.Tracks);
        int dimension = result.AppearanceDimension;
        ReadOnlySpan<float> rows = [];
        ReadOnlySpan<bool> fresh = [];
        if (dimension > 0)
        {
            rows = TrackRows(tracks, result.Appearance.Span, dimension);
            if (!result.FreshAppearance.IsEmpty)
            {
                ScratchArray.EnsureLength(ref _trackFresh, tracks.Length);
                FollowFrameInput.WriteTrackFreshness(tracks, result.FreshAppearance.Span, _trackFresh);
                fresh = _trackFresh.AsSpan(0, tracks.Length);
            }
        }
        FollowCommand command = _lock.Update(tracks, new FollowFrameInput(result.CameraMotion, rows, dimension, fresh, result.FrameStep));

        float dt = double.IsNaN(_lastSeconds) ? 1f / _options.FrameRate : (float)Math.Max(1e-3, result.Seconds - _lastSeconds);
        _lastSeconds = result.Seconds;
        SteeringOutput steer = _steering.Update(command, dt);
        Last = command;
        if (Demand is { } demand)
        {
            demand.TargetTrackId = command.State == FollowState.Locked ? command.TrackId : 0;
            demand.Searching = command.State == FollowState.Searching;
        }
        result.Follow = new FollowStatus(command.State == FollowState.Locked ? command.TrackId : 0, StateNames[(int)command.State])
        {
            Detail = command,
            Steering = steer,
            Mode = _steering.Mode,
        };
    }

    /// <summary>Per-track appearance rows from the matched detections' rows; zeros (unknown) for unmatched tracks.</summary>
    private ReadOnlySpan<float> TrackRows(ReadOnlySpan<TrackView> tracks, ReadOnlySpan<float> detectionRows, int dimension)
    {
        int needed = tracks.Length * dimension;
        ScratchArray.EnsureLength(ref _trackAppearance, needed);
        var rows = _trackAppearance.AsSpan(0, needed);
        FollowFrameInput.WriteTrackRows(tracks, detectionRows, dimension, rows);
        return rows;
    }
}
