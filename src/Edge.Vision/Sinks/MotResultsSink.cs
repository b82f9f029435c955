using Edge.Evaluation;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Sinks;

/// <summary>Writes tracks in the MOTChallenge result format, <c>frame,id,x,y,w,h,conf,-1,-1,-1</c> with 1-based
/// frames (MOTChallenge devkit, TrackEval). Only confirmed tracks matched in the frame are written, as ByteTrack's
/// <c>write_results</c> does; the optional filter drops boxes as ByteTrack's demo does (area, aspect).
/// <see cref="ForDetections"/> writes the detections instead, as a MOTChallenge <c>det/det.txt</c>.</summary>
public sealed class MotResultsSink : IFrameSink
{
    private readonly StreamWriter _writer;
    private readonly StreamWriter? _labels;
    private readonly TrackOutputFilter _filter;
    private readonly bool _detections;
    private bool _completed;

    /// <summary>Every detection of every frame as <c>frame,-1,x,y,w,h,score,-1,-1,-1</c> (MOTChallenge
    /// <c>det.txt</c>): with a sequence's frames and ground truth it makes a sequence <c>edge follow-eval</c> and
    /// <c>edge mot</c> read.</summary>
    public static MotResultsSink ForDetections(string path) => new(path, TrackOutputFilter.None, labelsPath: null, detections: true);

    private MotResultsSink(string path, TrackOutputFilter filter, string? labelsPath, bool detections)
        : this(path, filter, labelsPath) => _detections = detections;

    /// <param name="labelsPath">Optional side file for the secondary classifier's labels, one
    /// <c>frame,id,label,confidence</c> row per written track that has a label (the MOT file itself keeps the
    /// devkit's ten columns so evaluators still read it).</param>
    public MotResultsSink(string path, TrackOutputFilter filter, string? labelsPath = null)
    {
        _filter = filter;
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
            _writer = new StreamWriter(path, append: false);
            if (labelsPath is not null)
            {
                _labels = new StreamWriter(labelsPath, append: false) { NewLine = "\n" };
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException($"cannot write track results to '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    public void OnFrame(FrameResult result, Mat frame)
    {
        if (_detections)
        {
            foreach (Detection.Detection d in result.Detections)
            {
                WriteBox(result.FrameIndex, -1, d.Box, d.Score);
            }
            return;
        }
        Span<char> number = stackalloc char[24];
        foreach (TrackView track in result.Tracks)
        {
            if (track.State != TrackState.Confirmed || track.FramesSinceUpdate != 0 || !_filter.Keeps(track.Box))
            {
                continue;
            }
            WriteBox(result.FrameIndex, track.Id, track.Box, track.Score);
            if (_labels is not null && track.Label is not null)
            {
                _labels.Write(result.FrameIndex + 1);
                _labels.Write(',');
                _labels.Write(track.Id);
                _labels.Write(',');
                _labels.Write(track.Label);
                _labels.Write(',');
                track.LabelConfidence.TryFormat(number, out int written, "0.###", System.Globalization.CultureInfo.InvariantCulture);
                _labels.WriteLine(number[..written]);
            }
        }
    }

    private void WriteBox(long frameIndex, int id, BoxF b, float score)
    {
        // Hundredths of a pixel and thousandths of a score are all a result file needs.
        MotChallengeWriter.WriteRow(_writer, new MotRecord((int)frameIndex + 1, id,
            Math.Round(b.X1, 2), Math.Round(b.Y1, 2), Math.Round(b.Width, 2), Math.Round(b.Height, 2), Math.Round(score, 3)));
        Rows++;
    }

    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _writer.Flush();
        _writer.Dispose();
        _labels?.Dispose();
    }

    public void Dispose() => Complete();
}
