using Edge.Evaluation;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Sinks;

/// <summary>Writes tracks in the MOTChallenge result format, <c>frame,id,x,y,w,h,conf,-1,-1,-1</c> with 1-based
/// frames (MOTChallenge devkit, TrackEval). Only confirmed tracks matched in the frame are written, as ByteTrack's
/// <c>write_results</c> does; the optional filter drops boxes as ByteTrack's demo does (area, aspect).</summary>
public sealed class MotResultsSink : IFrameSink
{
    private readonly StreamWriter _writer;
    private readonly StreamWriter? _labels;
    private readonly TrackOutputFilter _filter;
    private bool _completed;

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
        Span<char> number = stackalloc char[24];
        foreach (TrackView track in result.Tracks)
        {
            if (track.State != TrackState.Confirmed || track.FramesSinceUpdate != 0 || !_filter.Keeps(track.Box))
            {
                continue;
            }
            var b = track.Box;
            // Hundredths of a pixel and thousandths of a score are all a result file needs.
            MotChallengeWriter.WriteRow(_writer, new MotRecord(
                (int)result.FrameIndex + 1, track.Id,
                Math.Round(b.X1, 2), Math.Round(b.Y1, 2), Math.Round(b.Width, 2), Math.Round(b.Height, 2),
                Math.Round(track.Score, 3)));
            Rows++;
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
