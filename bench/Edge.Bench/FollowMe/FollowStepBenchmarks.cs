using BenchmarkDotNet.Attributes;
using Edge.Capture;
using Edge.Detection;
using Edge.FollowMe;
using Edge.Models;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Bench.FollowMe;

/// <summary>Per-frame cost of what <c>edge follow</c> runs after the detector, on real vtest.avi frames and their
/// yolov8n detections (computed once in the setup): the tracking step (camera motion, the colour histogram of every
/// detection, ByteTrack with appearance fusion) and the Follow Me step (<see cref="TargetLock"/> and steering).
/// The frames play forwards then backwards, so the loop has no jump; the lock follows the largest person and picks
/// the largest again when it has given up. Target: nothing allocated per frame once warm (met by the histogram and
/// the Follow Me step; the camera-motion estimator's OpenCvSharp calls return new arrays, docs/performance.md).
/// Run: <c>dotnet run -c Release --project bench/Edge.Bench -- --filter '*FollowStep*'</c>.</summary>
[MemoryDiagnoser]
public class FollowStepBenchmarks
{
    private const int Frames = 100;
    private const double Fps = 10;
    private static readonly TargetSelection Largest = TargetSelection.LargestPerson();
    private Mat[] _frames = [];
    private List<DetectionRecord>[] _detections = [];
    private readonly ColorHistogramEmbedder _histogram = new();
    private float[] _rows = [];
    private TrackingAnalyzer _tracking = null!;
    private TrackingAnalyzer _followTracking = null!;
    private FollowAnalyzer _follow = null!;
    private FollowAnalyzer _followOnly = null!;
    private FrameResult[] _recorded = [];
    private long _followOnlyStep;
    private readonly FrameResult _result = new();
    private long _histogramStep;
    private long _trackingStep;
    private long _followStep;

    [GlobalSetup]
    public void Setup()
    {
        Environment.SetEnvironmentVariable(ModelResolver.EnvironmentVariable,
            Environment.GetEnvironmentVariable(ModelResolver.EnvironmentVariable) ?? BenchData.ModelsDir);
        using var detector = YoloDetector.Create(new DetectorOptions { Model = "yolov8n_w8dq", Classes = ["person"] });
        using var slot = detector.CreateSlot();
        using var source = FrameSourceFactory.Open(BenchData.VideoPath);
        _frames = new Mat[Frames];
        _detections = new List<DetectionRecord>[Frames];
        for (int i = 0; i < Frames; i++)
        {
            _frames[i] = new Mat();
            if (!source.TryRead(_frames[i], out _))
            {
                throw new EdgeException($"{BenchData.VideoPath} has fewer than {Frames} frames");
            }
            detector.Preprocess(_frames[i], slot);
            detector.Infer(slot);
            detector.Postprocess(slot, _detections[i] = []);
        }
        _rows = new float[_detections.Max(d => d.Count) * ColorHistogramEmbedder.Dimension];
        _tracking = TrackingAnalyzer.Create("default", Fps);
        _followTracking = TrackingAnalyzer.Create("default", Fps);
        _follow = new FollowAnalyzer(new FollowOptions { FrameRate = (float)Fps }, FollowAnalyzer.DefaultSteering(SteeringMode.PanTilt), Largest);
        // Two full loops: pools and scratch arrays grow to the scene.
        int locked = 0;
        for (int i = 0; i < 4 * Frames; i++)
        {
            Tracking();
            TrackingAndFollow();
            locked += _follow.Last.State == FollowState.Locked ? 1 : 0;
        }
        if (locked < 2 * Frames)
        {
            throw new EdgeException($"the lock was locked in {locked} of {4 * Frames} warm-up frames; the benchmark would not measure a lock at work");
        }

        // One forwards-backwards cycle of the tracking step's output, replayed into a lock of its own (FollowStep).
        _recorded = new FrameResult[2 * (Frames - 1)];
        for (int i = 0; i < _recorded.Length; i++)
        {
            int f = Next(ref _trackingStep, out long index);
            var result = Begin(f, index);
            _tracking.Analyze(result, _frames[f]);
            (_recorded[i] = new FrameResult()).CopyFrom(result);
        }
        _followOnly = new FollowAnalyzer(new FollowOptions { FrameRate = (float)Fps }, FollowAnalyzer.DefaultSteering(SteeringMode.PanTilt), Largest);
        for (int i = 0; i < 2 * _recorded.Length; i++)
        {
            FollowStep();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var frame in _frames)
        {
            frame.Dispose();
        }
        _histogram.Dispose();
        _tracking.Dispose();
        _followTracking.Dispose();
    }

    /// <summary>Forwards over the frames, then backwards: 0, 1, ..., 99, 98, ..., 1, 0, 1, ... (one counter per
    /// benchmark, so each analyzer sees every frame in order).</summary>
    private static int Next(ref long step, out long index)
    {
        index = step++;
        int phase = (int)(index % (2 * (Frames - 1)));
        return phase < Frames ? phase : (2 * (Frames - 1)) - phase;
    }

    private FrameResult Begin(int frame, long index)
    {
        _result.Begin(new FrameStamp(index, index / Fps), _frames[frame].Width, _frames[frame].Height);
        _result.Detections.AddRange(_detections[frame]);
        return _result;
    }

    [Benchmark(Description = "colour histogram of every detection")]
    public int Histogram()
    {
        int f = Next(ref _histogramStep, out _);
        var detections = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_detections[f]);
        _histogram.Compute(_frames[f], detections, _rows);
        return detections.Length;
    }

    [Benchmark(Baseline = true, Description = "tracking step (camera motion, histogram, ByteTrack)")]
    public int Tracking()
    {
        int f = Next(ref _trackingStep, out long index);
        var result = Begin(f, index);
        _tracking.Analyze(result, _frames[f]);
        return result.Tracks.Count;
    }

    [Benchmark(Description = "Follow Me step (lock and steering) on recorded tracks")]
    public int FollowStep()
    {
        var result = _recorded[_followOnlyStep++ % _recorded.Length];
        _followOnly.Analyze(result, _frames[0]);
        ReselectWhenIdle(_followOnly);
        return result.Follow?.TargetTrackId ?? 0;
    }

    [Benchmark(Description = "tracking and Follow Me steps")]
    public int TrackingAndFollow()
    {
        int f = Next(ref _followStep, out long index);
        var result = Begin(f, index);
        _followTracking.Analyze(result, _frames[f]);
        _follow.Analyze(result, _frames[f]);
        ReselectWhenIdle(_follow);
        return result.Follow?.TargetTrackId ?? 0;
    }

    /// <summary>The target walked out or the lock gave up: pick the largest person again, as a user would.</summary>
    private static void ReselectWhenIdle(FollowAnalyzer follow)
    {
        if (follow.Last.State == FollowState.Idle)
        {
            follow.Select(Largest);
        }
    }
}
