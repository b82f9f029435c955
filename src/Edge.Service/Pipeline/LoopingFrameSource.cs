using Edge.Capture;
using OpenCvSharp;

namespace Edge.Service.Pipeline;

/// <summary>Replays a finite source forever by reopening it when it ends (<c>Edge:Source:Loop</c>, for demos and the
/// endurance benchmark). Frame indices and timestamps keep increasing across passes, so trackers, MOT output and
/// event frame numbers stay monotonic.</summary>
public sealed class LoopingFrameSource(Func<IFrameSource> open) : IFrameSource
{
    private IFrameSource _inner = open();
    private long _indexOffset;
    private double _secondsOffset;
    private long _lastIndex = -1;
    private double _lastSeconds;

    public string Name => _inner.Name;
    public int Width => _inner.Width;
    public int Height => _inner.Height;
    public double Fps => _inner.Fps;
    public int? FrameCount => null;
    public bool IsLive => false;

    /// <summary>Completed passes over the source.</summary>
    public int Passes { get; private set; }

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (_inner.TryRead(frame, out var s))
            {
                _lastIndex = s.Index + _indexOffset;
                _lastSeconds = s.Seconds + _secondsOffset;
                stamp = new FrameStamp(_lastIndex, _lastSeconds);
                return true;
            }
            if (_lastIndex < _indexOffset)
            {
                break; // This pass produced nothing: an empty source would loop forever.
            }
            Passes++;
            _indexOffset = _lastIndex + 1;
            _secondsOffset = _lastSeconds + (1 / (Fps > 0 ? Fps : 25));
            _inner.Dispose();
            _inner = open();
        }
        stamp = default;
        return false;
    }

    public void Dispose() => _inner.Dispose();
}
