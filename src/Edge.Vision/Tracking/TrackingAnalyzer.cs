using Edge.Pipeline;
using OpenCvSharp;

namespace Edge.Tracking;

/// <summary>The tracking step of the video pipeline: estimates camera motion (optional), computes appearance vectors
/// for the detections (optional colour histograms), updates the tracker and copies its tracks into the frame result.
/// Track <see cref="TrackView.DetectionIndex"/> values index <see cref="FrameResult.Detections"/>.</summary>
public sealed class TrackingAnalyzer : IFrameAnalyzer, IDisposable
{
    private readonly IMultiObjectTracker _tracker;
    private readonly SparseFlowMotionEstimator? _motion;
    private readonly ColorHistogramEmbedder? _appearance;
    private Detection.Detection[] _detections = new Detection.Detection[128];
    private float[] _embeddings = [];

    public TrackingAnalyzer(IMultiObjectTracker tracker, bool cameraMotion, bool appearance)
    {
        _tracker = tracker;
        _motion = cameraMotion ? new SparseFlowMotionEstimator() : null;
        _appearance = appearance ? new ColorHistogramEmbedder() : null;
    }

    /// <summary>The tracking step for a named configuration at the source's frame rate: <c>default</c> (Edge's tuned
    /// ByteTrack with camera-motion compensation and colour-histogram appearance), <c>reference</c> (ByteTrack's
    /// reference settings) or <c>sort</c>. Shared by <c>edge track</c>/<c>follow</c> and <c>edge run</c>.</summary>
    public static TrackingAnalyzer Create(string name, double fps)
    {
        double frameRate = fps > 0 ? fps : 30;
        if (name == "sort")
        {
            return new TrackingAnalyzer(new SortTracker(), cameraMotion: false, appearance: false);
        }
        var options = name == "reference" ? TrackerOptions.Reference : TrackerOptions.Default;
        return new TrackingAnalyzer(new ByteTracker(options, frameRate), options.CameraMotionCompensation, options.Appearance);
    }

    public void Analyze(FrameResult result, Mat frame)
    {
        int n = result.Detections.Count;
        if (_detections.Length < n)
        {
            Array.Resize(ref _detections, Math.Max(n, _detections.Length * 2));
        }
        result.Detections.CopyTo(_detections);
        var detections = _detections.AsSpan(0, n);

        if (_motion is not null)
        {
            result.CameraMotion = _motion.Estimate(frame);
        }
        ReadOnlyMemory<float> embeddings = ReadOnlyMemory<float>.Empty;
        int dimension = 0;
        if (_appearance is not null)
        {
            dimension = ColorHistogramEmbedder.Dimension;
            if (_embeddings.Length < n * dimension)
            {
                _embeddings = new float[Math.Max(n, 64) * dimension];
            }
            _appearance.Compute(frame, detections, _embeddings.AsSpan(0, n * dimension));
            embeddings = _embeddings.AsMemory(0, n * dimension);
            result.Appearance = embeddings;
            result.AppearanceDimension = dimension;
        }

        var tracks = _tracker.Update(detections, new TrackerFrameContext(result.CameraMotion, embeddings, dimension));
        foreach (ref readonly TrackView track in tracks)
        {
            result.Tracks.Add(track);
        }
    }

    public void Dispose()
    {
        _motion?.Dispose();
        _appearance?.Dispose();
    }
}
