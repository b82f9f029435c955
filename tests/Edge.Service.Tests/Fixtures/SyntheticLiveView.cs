using Edge.Geometry;
using Edge.Service.Events;
using Edge.Service.Web;
using SkiaSharp;

namespace Edge.Service.Tests.Fixtures;

/// <summary>A real, in-process stand-in for the pipeline: renders 640x360 frames with two moving "people"
/// (filled boxes with heads), JPEG-encodes them with SkiaSharp at ~20 fps, reports them as tracks 1 and 2 and
/// applies follow selection by point-in-box. Person 1 spans x in [80+d, 200+d], person 2 [400-d, 520-d],
/// d = frame % 40, so (160, 200) is always on person 1, (440, 200) on person 2 and x = 300 on nobody.</summary>
public sealed class SyntheticLiveView : ILiveView, IFollowControl, IDisposable
{
    public const int Width = 640;
    public const int Height = 360;

    private readonly LiveFrameBroadcaster _frames = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private LiveTrackSet _tracks = LiveTrackSet.Empty;
    private FollowState _follow = FollowState.Idle;

    public SyntheticLiveView()
    {
        RenderNext(0);
        _loop = Task.Run(RunAsync);
    }

    public LiveFrame? Latest => _frames.Latest;

    public LiveTrackSet Tracks
    {
        get { lock (_gate) { return _tracks; } }
    }

    public FollowState Follow
    {
        get { lock (_gate) { return _follow; } }
    }

    public int SelectCalls { get; private set; }

    public ValueTask<LiveFrame> WaitForFrameAsync(long afterSequence, CancellationToken cancellationToken) =>
        _frames.WaitForFrameAsync(afterSequence, cancellationToken);

    public FollowResult SelectById(int trackId)
    {
        lock (_gate)
        {
            SelectCalls++;
            foreach (var t in _tracks.Tracks)
            {
                if (t.Id == trackId)
                {
                    _follow = new FollowState(FollowMode.Locked, t.Id, EventBox.From(t.Box), DateTimeOffset.UtcNow);
                    return new FollowResult(true, _follow);
                }
            }
            return new FollowResult(false, _follow);
        }
    }

    public FollowResult SelectAtPoint(float x, float y)
    {
        lock (_gate)
        {
            SelectCalls++;
            foreach (var t in _tracks.Tracks)
            {
                if (t.Box.Contains(x, y))
                {
                    _follow = new FollowState(FollowMode.Locked, t.Id, EventBox.From(t.Box), DateTimeOffset.UtcNow);
                    return new FollowResult(true, _follow);
                }
            }
            return new FollowResult(false, _follow);
        }
    }

    public FollowState Release()
    {
        lock (_gate)
        {
            _follow = FollowState.Idle;
            return _follow;
        }
    }

    public static BoxF PersonBox(int id, long frame)
    {
        int d = (int)(frame % 40);
        return id == 1 ? new BoxF(80 + d, 60, 200 + d, 330) : new BoxF(400 - d, 50, 520 - d, 320);
    }

    private async Task RunAsync()
    {
        long frame = 1;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            RenderNext(frame++);
        }
    }

    private void RenderNext(long frame)
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(60, 70, 80));
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        var tracks = new LiveTrack[2];
        for (int id = 1; id <= 2; id++)
        {
            var b = PersonBox(id, frame);
            paint.Color = id == 1 ? new SKColor(220, 120, 60) : new SKColor(60, 160, 220);
            canvas.DrawRect(new SKRect(b.X1 + 20, b.Y1 + 60, b.X2 - 20, b.Y2), paint);
            canvas.DrawCircle(b.CenterX, b.Y1 + 30, 28, paint);
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = 3;
            paint.Color = SKColors.Lime;
            canvas.DrawRect(new SKRect(b.X1, b.Y1, b.X2, b.Y2), paint);
            paint.Style = SKPaintStyle.Fill;
            // Track 1 carries a secondary-classifier label, track 2 none (not yet voted), as with Edge:Tracking:Classifier.
            tracks[id - 1] = id == 1 ? new LiveTrack(id, b, 0.91f, "person", "masked", 0.8f) : new LiveTrack(id, b, 0.84f, "person");
        }
        // A bar whose length encodes the frame number, so consecutive frames always differ.
        paint.Color = SKColors.White;
        canvas.DrawRect(new SKRect(0, Height - 8, (frame % 64) * 10, Height), paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        var published = _frames.Publish(data.ToArray(), Width, Height);
        lock (_gate)
        {
            _tracks = new LiveTrackSet(published.Sequence, Width, Height, tracks);
            if (_follow.Mode == FollowMode.Locked && _follow.TrackId is int target)
            {
                _follow = _follow with { Box = EventBox.From(tracks[target - 1].Box) };
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
