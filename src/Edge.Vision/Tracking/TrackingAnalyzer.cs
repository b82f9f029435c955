using System.Diagnostics;
using Edge.Appearance;
using Edge.Geometry;
using Edge.Pipeline;
using OpenCvSharp;

namespace Edge.Tracking;

/// <summary>The tracking step of the video pipeline: estimates camera motion (optional), computes appearance vectors
/// for the detections (optional), updates the tracker and copies its tracks into the frame result.
/// Track <see cref="TrackView.DetectionIndex"/> values index <see cref="FrameResult.Detections"/>.
/// <para>Appearance comes from an <see cref="IAppearanceEmbedder"/>: the colour histogram (cheap; every detection,
/// every frame) or a re-id network. With an <see cref="EmbeddingScheduler"/> only the detections it picks get a
/// fresh vector (new or ambiguous ones, the Follow Me target and candidates, stale tracks; within a per-frame
/// budget) and the others a zero row, which the tracker's fusion ignores (BoT-SORT trusts appearance only where it
/// is known and boxes are close). Fresh vectors of matched tracks go into a per-track <see cref="TrackGallery"/>,
/// whose average then fills the rows of matched tracks that were not embedded this frame, so Follow Me sees an
/// appearance for every matched person.</para></summary>
public sealed class TrackingAnalyzer : IFrameAnalyzer, IDisposable
{
    private readonly IMultiObjectTracker _tracker;
    private readonly SparseFlowMotionEstimator? _motion;
    private readonly IAppearanceEmbedder? _appearance;
    private readonly EmbeddingScheduler? _scheduler;
    private readonly TrackGallery? _gallery;
    private long _nextPrune;
    private readonly bool[] _classMask;
    private Detection.Detection[] _detections = new Detection.Detection[128];
    private float[] _embeddings = [];
    private float[] _selectedRows = [];
    private BoxF[] _boxes = new BoxF[128];
    private BoxF[] _selectedBoxes = new BoxF[128];
    private bool[] _eligible = new bool[128];
    private bool[] _selected = new bool[128];

    public TrackingAnalyzer(IMultiObjectTracker tracker, bool cameraMotion, bool appearance)
        : this(tracker, cameraMotion, appearance ? new ColorHistogramEmbedder() : null, schedule: null)
    {
    }

    /// <param name="embedder">Appearance source (owned and disposed by this analyzer), null for none.</param>
    /// <param name="schedule">Null embeds every detection every frame (the histogram's mode); otherwise only the
    /// scheduled ones, and a gallery is kept.</param>
    /// <param name="embedClasses">Detector classes that get appearance when scheduled (empty: all); re-id models
    /// are trained on people.</param>
    public TrackingAnalyzer(IMultiObjectTracker tracker, bool cameraMotion, IAppearanceEmbedder? embedder,
        EmbeddingScheduleOptions? schedule, IReadOnlyList<int>? embedClasses = null, int galleryCapacity = 8)
    {
        _tracker = tracker;
        _motion = cameraMotion ? new SparseFlowMotionEstimator() : null;
        _appearance = embedder;
        if (embedder is not null && schedule is not null)
        {
            _scheduler = new EmbeddingScheduler(schedule);
            _gallery = new TrackGallery(embedder.Dimension, galleryCapacity);
        }
        embedClasses ??= [];
        _classMask = new bool[embedClasses.Count == 0 ? 0 : embedClasses.Max() + 1];
        foreach (int c in embedClasses)
        {
            _classMask[c] = true;
        }
        EmbeddingLatency = new StageStatistics("embed", 4096);
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

    /// <summary>Set by a Follow Me analyzer so its target and candidates are embedded first.</summary>
    public AppearanceDemand? Demand { get; set; }

    public IAppearanceEmbedder? Embedder => _appearance;

    /// <summary>Per-track embedding memory (null unless scheduled).</summary>
    public TrackGallery? Gallery => _gallery;

    /// <summary>Per-frame time spent computing appearance, milliseconds.</summary>
    public StageStatistics EmbeddingLatency { get; }

    public void Analyze(FrameResult result, Mat frame)
    {
        int n = result.Detections.Count;
        ScratchArray.EnsureLength(ref _detections, n);
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
            long t0 = Stopwatch.GetTimestamp();
            dimension = _appearance.Dimension;
            ScratchArray.EnsureLength(ref _embeddings, n * dimension);
            var rows = _embeddings.AsSpan(0, n * dimension);
            if (_appearance is ColorHistogramEmbedder histogram && _scheduler is null)
            {
                histogram.Compute(frame, detections, rows);
                result.EmbeddedCrops = n;
            }
            else
            {
                result.EmbeddedCrops = ComputeScheduled(frame, detections, rows, dimension, result.FrameIndex);
                if (_scheduler is not null)
                {
                    result.FreshAppearance = _selected.AsMemory(0, n);
                }
            }
            embeddings = _embeddings.AsMemory(0, n * dimension);
            result.Appearance = embeddings;
            result.AppearanceDimension = dimension;
            result.EmbeddingMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            EmbeddingLatency.Record(result.EmbeddingMs);
        }

        var tracks = _tracker.Update(detections, new TrackerFrameContext(result.CameraMotion, embeddings, dimension, result.FrameStep));
        foreach (ref readonly TrackView track in tracks)
        {
            result.Tracks.Add(track);
        }
        if (_gallery is not null)
        {
            UpdateGallery(tracks, _embeddings.AsSpan(0, n * dimension), dimension, result.FrameIndex);
            _scheduler!.Observe(tracks);
        }
    }

    /// <summary>Embeds the scheduled detections (all of them without a scheduler); zero rows for the rest.</summary>
    private int ComputeScheduled(Mat frame, ReadOnlySpan<Detection.Detection> detections, Span<float> rows, int dimension, long frameIndex)
    {
        int n = detections.Length;
        if (_boxes.Length < n)
        {
            int size = n * 2;
            _boxes = new BoxF[size];
            _selectedBoxes = new BoxF[size];
            _eligible = new bool[size];
            _selected = new bool[size];
        }
        for (int d = 0; d < n; d++)
        {
            _boxes[d] = detections[d].Box;
            int c = detections[d].ClassId;
            _eligible[d] = _classMask.Length == 0 || ((uint)c < (uint)_classMask.Length && _classMask[c]);
        }
        rows.Clear();
        if (_scheduler is null)
        {
            _appearance!.Compute(frame, _boxes.AsSpan(0, n), rows);
            return n;
        }
        var demand = Demand;
        int count = _scheduler.Select(_boxes.AsSpan(0, n), _eligible.AsSpan(0, n), _gallery, frameIndex,
            demand?.TargetTrackId ?? 0, demand?.Searching ?? false, _selected.AsSpan(0, n));
        if (count == 0)
        {
            return 0;
        }
        int k = 0;
        for (int d = 0; d < n; d++)
        {
            if (_selected[d])
            {
                _selectedBoxes[k++] = _boxes[d];
            }
        }
        ScratchArray.EnsureLength(ref _selectedRows, count * dimension);
        _appearance!.Compute(frame, _selectedBoxes.AsSpan(0, count), _selectedRows.AsSpan(0, count * dimension));
        k = 0;
        for (int d = 0; d < n; d++)
        {
            if (_selected[d])
            {
                _selectedRows.AsSpan(k++ * dimension, dimension).CopyTo(rows.Slice(d * dimension, dimension));
            }
        }
        return count;
    }

    /// <summary>Stores fresh rows of matched tracks and fills matched tracks' empty rows from their gallery mean
    /// (after the tracker has consumed the frame's own rows).</summary>
    private void UpdateGallery(ReadOnlySpan<TrackView> tracks, Span<float> rows, int dimension, long frameIndex)
    {
        foreach (ref readonly TrackView t in tracks)
        {
            if (!t.IsMatched || (t.DetectionIndex + 1) * dimension > rows.Length)
            {
                continue;
            }
            var row = rows.Slice(t.DetectionIndex * dimension, dimension);
            if (_selected[t.DetectionIndex])
            {
                _gallery!.Add(t.Id, row, frameIndex);
            }
            else if (_gallery!.Mean(t.Id) is { IsEmpty: false } mean)
            {
                mean.CopyTo(row);
            }
        }
        if (frameIndex >= _nextPrune)
        {
            // Every 64 frames (indices skip the frames a live pipeline drops): tracks silent for this long have been
            // removed by the tracker (ByteTrack's buffer is ~1 s).
            _nextPrune = frameIndex + 64;
            _gallery!.ForgetOlderThan(frameIndex - 300);
        }
    }

    public void Dispose()
    {
        _motion?.Dispose();
        _appearance?.Dispose();
    }
}
