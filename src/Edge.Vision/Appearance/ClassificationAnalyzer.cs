using System.Diagnostics;
using System.Runtime.InteropServices;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>The secondary classifier stage, after tracking: classifies the crops of matched tracks of the chosen
/// classes, batched across tracks, at most every <see cref="ClassificationOptions.EveryFrames"/> frames per track
/// and within a per-frame budget (never-classified and stalest tracks first); smooths each track's probabilities
/// (<see cref="TrackLabelSmoother"/>) and writes the label and its mean probability onto the frame's tracks once a
/// track has enough votes. Crops are the matched detections' boxes (the detector's box, not the Kalman estimate).</summary>
public sealed class ClassificationAnalyzer : IFrameAnalyzer, IDisposable
{
    private readonly SecondaryClassifier _classifier;
    private readonly ClassificationOptions _options;
    private readonly TrackLabelSmoother _smoother;
    private long _nextPrune;
    private readonly bool[] _classMask;
    private readonly bool _allClasses;
    private BoxF[] _boxes = new BoxF[32];
    private int[] _ids = new int[32];
    private long[] _keys = new long[32];
    private int[] _order = new int[32];
    private float[] _probabilities = [];
    private bool[] _valid = new bool[32];

    public ClassificationAnalyzer(SecondaryClassifier classifier, ClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        options.Validate();
        _classifier = classifier;
        _options = options;
        _smoother = new TrackLabelSmoother(classifier.Classes, options.MinVotes);
        _allClasses = options.Classes.Count == 0;
        _classMask = new bool[Math.Max(1, options.Classes.Count == 0 ? 1 : options.Classes.Max() + 1)];
        foreach (int c in options.Classes)
        {
            _classMask[c] = true;
        }
        Latency = new StageStatistics("classify", 4096);
    }

    public SecondaryClassifier Classifier => _classifier;

    /// <summary>Per-frame latency of this stage (crop, batch run, smoothing), milliseconds.</summary>
    public StageStatistics Latency { get; }

    /// <summary>Crops classified so far.</summary>
    public long Crops { get; private set; }

    public void Analyze(FrameResult result, Mat frame)
    {
        long t0 = Stopwatch.GetTimestamp();
        long f = result.FrameIndex;
        var tracks = CollectionsMarshal.AsSpan(result.Tracks);
        EnsureCapacity(tracks.Length);
        int candidates = 0;
        for (int i = 0; i < tracks.Length; i++)
        {
            ref readonly TrackView t = ref tracks[i];
            if (!t.IsMatched || t.DetectionIndex >= result.Detections.Count || !Wanted(t.ClassId))
            {
                continue;
            }
            long? last = _smoother.LastObserved(t.Id);
            if (last is { } l && f - l < _options.EveryFrames)
            {
                continue;
            }
            _keys[candidates] = last ?? long.MinValue;
            _order[candidates] = i;
            candidates++;
        }
        Array.Sort(_keys, _order, 0, candidates);
        int n = Math.Min(candidates, _options.Budget);
        for (int k = 0; k < n; k++)
        {
            ref readonly TrackView t = ref tracks[_order[k]];
            _boxes[k] = result.Detections[t.DetectionIndex].Box;
            _ids[k] = t.Id;
        }
        int classes = _classifier.Classes;
        if (n > 0)
        {
            _classifier.Classify(frame, _boxes.AsSpan(0, n), _probabilities.AsSpan(0, n * classes), _valid.AsSpan(0, n));
            for (int k = 0; k < n; k++)
            {
                if (_valid[k])
                {
                    _smoother.Observe(_ids[k], _probabilities.AsSpan(k * classes, classes), f);
                }
            }
            Crops += n;
        }
        for (int i = 0; i < tracks.Length; i++)
        {
            if (_smoother.TryGetLabel(tracks[i].Id, out int c, out float confidence))
            {
                tracks[i] = tracks[i] with { Label = _classifier.Names[c], LabelConfidence = confidence };
            }
        }
        // Every 64 frames (indices skip the frames a live pipeline drops): a track unseen for this long has been
        // dropped by the tracker (ByteTrack keeps lost tracks ~1 s).
        if (f >= _nextPrune)
        {
            _nextPrune = f + 64;
            _smoother.ForgetOlderThan(f - Math.Max(300, 10L * _options.EveryFrames));
        }
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        result.ClassificationMs = ms;
        result.ClassifiedCrops = n;
        Latency.Record(ms);
    }

    private bool Wanted(int classId) => _allClasses || ((uint)classId < (uint)_classMask.Length && _classMask[classId]);

    private void EnsureCapacity(int n)
    {
        if (_boxes.Length < n)
        {
            int size = n * 2;
            _boxes = new BoxF[size];
            _ids = new int[size];
            _keys = new long[size];
            _order = new int[size];
            _valid = new bool[size];
        }
        int needed = Math.Max(n, _options.Budget) * _classifier.Classes;
        if (_probabilities.Length < needed)
        {
            _probabilities = new float[needed * 2];
        }
    }

    public void Dispose() => _classifier.Dispose();
}
