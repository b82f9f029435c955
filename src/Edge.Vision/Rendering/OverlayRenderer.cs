using System.Globalization;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Interop;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;
using SkiaSharp;

namespace Edge.Rendering;

/// <summary>Draws detections, tracks with trails, the Follow Me target and status text onto BGR frames with SkiaSharp.
/// Skia has no 24-bit BGR colour type, so the frame is converted into a pooled BGRA Mat that a cached SKSurface
/// wraps without copying, drawn on, and converted back (docs/performance.md has the measured cost and the
/// alternatives). Label strings and their text blobs are cached (the follow command line as cached words), so
/// steady-state drawing allocates nothing. One instance per thread.</summary>
public sealed class OverlayRenderer : IDisposable
{
    private const int MaxTrailPoints = 256;
    private const int MaxCachedTexts = 2048;
    private static readonly string[] ModeNames = Enum.GetNames<SteeringMode>();
    private readonly IReadOnlyList<string> _classNames;
    private readonly OverlayOptions _options;
    private readonly SKTypeface _typeface;
    private readonly SKFont _font;
    private readonly SKPaint _stroke;
    private readonly SKPaint _fill;
    private readonly SKPaint _text;
    private readonly TrackTrails _trails;
    private readonly string[] _scoreText = new string[101];
    private readonly Dictionary<int, string> _trackText = [];
    private readonly Dictionary<(int Id, string Label), string> _labelledTrackText = [];
    private readonly Dictionary<int, string> _fpsText = [];
    private readonly Dictionary<int, string> _signedText = [];
    private readonly Dictionary<int, string> _unsignedText = [];
    private readonly string[] _commandWords = new string[12];
    private readonly Dictionary<string, SKTextBlob> _blobs = new(ReferenceEqualityComparer.Instance);
    private readonly SKPoint[] _trailPoints;
    private readonly Mat _bgra = new();
    private SKSurface? _surface;
    private int _surfaceWidth;
    private int _surfaceHeight;

    public OverlayRenderer(IReadOnlyList<string> classNames, OverlayOptions? options = null)
    {
        _classNames = classNames;
        _options = options ?? new OverlayOptions();
        _typeface = LoadTypeface(_options.FontPath);
        _font = new SKFont(_typeface, _options.FontSize);
        _stroke = new SKPaint { Style = SKPaintStyle.Stroke, IsAntialias = true, StrokeWidth = _options.BoxThickness };
        _fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = false };
        _text = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true, Color = _options.TextColor };
        _trails = new TrackTrails(Math.Clamp(_options.TrailLength, 1, MaxTrailPoints));
        _trailPoints = new SKPoint[MaxTrailPoints];
        for (int i = 0; i <= 100; i++)
        {
            _scoreText[i] = (i / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        }
    }

    public OverlayOptions Options => _options;

    /// <summary>Draws <paramref name="result"/> onto the BGR 8UC3 <paramref name="frame"/> in place.</summary>
    public void Render(Mat frame, FrameResult result)
    {
        SKCanvas canvas = BeginDraw(frame);
        DrawResult(canvas, result);
        EndDraw(frame);
    }

    /// <summary>Converts <paramref name="frame"/> to the pooled BGRA surface and returns its canvas; finish with
    /// <see cref="EndDraw"/>. Lets callers combine the primitives below.</summary>
    public SKCanvas BeginDraw(Mat frame)
    {
        if (frame.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"overlay needs a BGR 8UC3 frame, got {frame.Type()}", nameof(frame));
        }
        NativeCv2.CvtColor(frame, _bgra, ColorConversionCodes.BGR2BGRA);
        if (_surface is null || _surfaceWidth != frame.Width || _surfaceHeight != frame.Height)
        {
            _surface?.Dispose();
            var info = new SKImageInfo(frame.Width, frame.Height, SKColorType.Bgra8888, SKAlphaType.Premul);
            _surface = SKSurface.Create(info, _bgra.Data, (int)_bgra.Step())
                ?? throw new InvalidOperationException("SkiaSharp could not wrap the BGRA frame");
            _surfaceWidth = frame.Width;
            _surfaceHeight = frame.Height;
        }
        return _surface.Canvas;
    }

    public void EndDraw(Mat frame)
    {
        _surface!.Canvas.Flush();
        NativeCv2.CvtColor(_bgra, frame, ColorConversionCodes.BGRA2BGR);
    }

    /// <summary>Draws detections or tracks, the follow target and the status text of one frame.</summary>
    public void DrawResult(SKCanvas canvas, FrameResult result)
    {
        int target = result.Follow?.TargetTrackId ?? 0;
        float others = target > 0 ? _options.DimmedOpacity : 1f;
        if (_options.PreferTracks && result.Tracks.Count > 0)
        {
            _trails.BeginFrame();
            foreach (TrackView track in result.Tracks)
            {
                _trails.Add(track.Id, new SKPoint((track.Box.X1 + track.Box.X2) / 2, track.Box.Y2));
            }
            foreach (TrackView track in result.Tracks)
            {
                bool isTarget = track.Id == target;
                DrawTrack(canvas, track, isTarget ? 1f : others);
                if (isTarget)
                {
                    DrawTarget(canvas, track.Box);
                }
            }
        }
        else
        {
            foreach (var detection in result.Detections)
            {
                DrawBox(canvas, detection.Box, OverlayPalette.For(detection.ClassId), ClassName(detection.ClassId), detection.Score, others);
            }
        }
        float y = _options.FontSize + 4;
        if (_options.ShowFps && result.PipelineFps > 0)
        {
            DrawStatusLine(canvas, FpsText(result.PipelineFps), 4, y);
            y += _options.FontSize + 4;
        }
        if (result.Follow is { } follow)
        {
            DrawStatusLine(canvas, follow.State, 4, y);
            y += _options.FontSize + 4;
            if (follow.Detail.State != FollowState.Idle)
            {
                DrawStatusLine(canvas, CommandWords(follow), 4, y);
            }
        }
    }

    /// <summary>A box with an optional "label score" tag above it.</summary>
    public void DrawBox(SKCanvas canvas, BoxF box, SKColor color, string? label, float score, float opacity = 1f)
    {
        SKColor c = color.WithAlpha((byte)(255 * Math.Clamp(opacity, 0, 1)));
        _stroke.Color = c;
        _stroke.StrokeWidth = _options.BoxThickness;
        canvas.DrawRect(box.X1, box.Y1, box.X2 - box.X1, box.Y2 - box.Y1, _stroke);
        if (!_options.ShowLabels || label is null)
        {
            return;
        }
        string? scoreText = _options.ShowScores && score >= 0 ? _scoreText[Math.Clamp((int)MathF.Round(score * 100), 0, 100)] : null;
        DrawTag(canvas, box, c, label, scoreText, opacity);
    }

    /// <summary>A track: box in its id colour, "#id class" tag and its trail of recent bottom-centre points.</summary>
    public void DrawTrack(SKCanvas canvas, TrackView track, float opacity = 1f)
    {
        SKColor color = OverlayPalette.For(track.Id);
        int n = _trails.CopyTo(track.Id, _trailPoints);
        if (n > 1)
        {
            _stroke.Color = color.WithAlpha((byte)(200 * Math.Clamp(opacity, 0, 1)));
            _stroke.StrokeWidth = Math.Max(1, _options.BoxThickness - 1);
            for (int i = 1; i < n; i++)
            {
                canvas.DrawLine(_trailPoints[i - 1], _trailPoints[i], _stroke);
            }
        }
        DrawBox(canvas, track.Box, color, track.Label is null ? TrackText(track.Id) : LabelledTrackText(track.Id, track.Label), -1, opacity);
    }

    /// <summary>The follow target: a thick outline in <see cref="OverlayOptions.TargetColor"/>.</summary>
    public void DrawTarget(SKCanvas canvas, BoxF box)
    {
        _stroke.Color = _options.TargetColor;
        _stroke.StrokeWidth = _options.TargetThickness;
        float pad = _options.TargetThickness;
        canvas.DrawRect(box.X1 - pad, box.Y1 - pad, box.X2 - box.X1 + (2 * pad), box.Y2 - box.Y1 + (2 * pad), _stroke);
    }

    /// <summary>A line of text on a dark backing, top-left anchored at baseline <paramref name="y"/>.</summary>
    public void DrawStatusLine(SKCanvas canvas, string text, float x, float y) => DrawStatusLine(canvas, new ReadOnlySpan<string>(in text), x, y);

    /// <summary>Words separated by spaces on one status line: each word's text blob is cached, so a line whose words
    /// come from a bounded set (<see cref="CommandWords"/>) draws without allocating.</summary>
    public void DrawStatusLine(SKCanvas canvas, ReadOnlySpan<string> words, float x, float y)
    {
        float space = _font.MeasureText(" ");
        float width = 0;
        foreach (string word in words)
        {
            width += _font.MeasureText(word) + space;
        }
        _fill.Color = new SKColor(0, 0, 0, 160);
        canvas.DrawRect(x - 2, y - _options.FontSize, MathF.Max(0, width - space) + 4, _options.FontSize + 4, _fill);
        _text.Color = _options.TextColor;
        foreach (string word in words)
        {
            DrawCachedText(canvas, word, x, y);
            x += _font.MeasureText(word) + space;
        }
    }

    public void Dispose()
    {
        _surface?.Dispose();
        _bgra.Dispose();
        foreach (var blob in _blobs.Values)
        {
            blob.Dispose();
        }
        _font.Dispose();
        _stroke.Dispose();
        _fill.Dispose();
        _text.Dispose();
        _typeface.Dispose();
    }

    private void DrawTag(SKCanvas canvas, BoxF box, SKColor color, string label, string? scoreText, float opacity)
    {
        float space = _font.MeasureText(" ");
        float width = _font.MeasureText(label) + (scoreText is null ? 0 : space + _font.MeasureText(scoreText));
        float height = _options.FontSize + 4;
        float top = box.Y1 - height >= 0 ? box.Y1 - height : box.Y1;
        // Keep the tag inside the frame: people at the right edge would otherwise lose their label.
        float left = MathF.Max(0f, MathF.Min(box.X1, canvas.DeviceClipBounds.Right - (width + 4)));
        _fill.Color = color;
        canvas.DrawRect(left, top, width + 4, height, _fill);
        _text.Color = _options.TextColor.WithAlpha((byte)(255 * Math.Clamp(opacity, 0, 1)));
        float baseline = top + height - 4;
        DrawCachedText(canvas, label, left + 2, baseline);
        if (scoreText is not null)
        {
            DrawCachedText(canvas, scoreText, left + 2 + _font.MeasureText(label) + space, baseline);
        }
    }

    /// <summary>SKCanvas.DrawText(string, ...) shapes the string into a new SKTextBlob on every call (a managed wrapper
    /// per call); the label strings are already cached, so cache their blobs too (keyed by reference).</summary>
    private void DrawCachedText(SKCanvas canvas, string text, float x, float y)
    {
        if (!_blobs.TryGetValue(text, out var blob))
        {
            if (_blobs.Count >= MaxCachedTexts)
            {
                // Producers that build new strings every frame would grow the cache without bound.
                foreach (var old in _blobs.Values)
                {
                    old.Dispose();
                }
                _blobs.Clear();
            }
            blob = SKTextBlob.Create(text, _font);
            if (blob is null)
            {
                return; // nothing to draw (empty string or no glyphs)
            }
            _blobs[text] = blob;
        }
        canvas.DrawText(blob, x, y, _text);
    }

    private string ClassName(int classId) =>
        (uint)classId < (uint)_classNames.Count ? _classNames[classId] : CachedInt(_trackText, -1 - classId, classId.ToString(CultureInfo.InvariantCulture));

    private string TrackText(int id) => CachedInt(_trackText, id, null);

    /// <summary>"#id label" for a track the secondary classifier has labelled (cached per id and label).</summary>
    private string LabelledTrackText(int id, string label)
    {
        if (!_labelledTrackText.TryGetValue((id, label), out var text))
        {
            text = TrackText(id) + " " + label;
            _labelledTrackText[(id, label)] = text;
        }
        return text;
    }

    /// <summary>The follow command and steering outputs as one line of words, "dx +0.12 dy -0.30 h 0.45 conf 0.90 |
    /// PanTilt +0.10 -0.05". The numbers change every frame, so the line is made of cached words (numbers cached by
    /// hundredths) rather than a new string, and text blob, every frame.</summary>
    internal ReadOnlySpan<string> CommandWords(in FollowStatus follow)
    {
        FollowCommand c = follow.Detail;
        SteeringOutput steer = follow.Steering;
        string[] w = _commandWords;
        (w[0], w[1], w[2], w[3]) = ("dx", Hundredths(c.OffsetX, signed: true), "dy", Hundredths(c.OffsetY, signed: true));
        (w[4], w[5], w[6], w[7]) = ("h", Hundredths(c.Height, signed: false), "conf", Hundredths(c.Confidence, signed: false));
        (w[8], w[9], w[10], w[11]) = ("|", ModeNames[(int)follow.Mode], Hundredths(steer.Horizontal, signed: true), Hundredths(steer.Vertical, signed: true));
        return w;
    }

    /// <summary>A number with two decimals ("+0.00;-0.00" when signed, "0.00" otherwise), cached per value.</summary>
    private string Hundredths(float value, bool signed)
    {
        if (!float.IsFinite(value))
        {
            return "n/a";
        }
        // Keys beyond +-10^4 are clamped (the command's numbers lie within -1..1, the steering within its limits).
        int key = (int)Math.Round(Math.Clamp((double)value, -1e4, 1e4) * 100, MidpointRounding.AwayFromZero);
        Dictionary<int, string> cache = signed ? _signedText : _unsignedText;
        if (!cache.TryGetValue(key, out var text))
        {
            text = (key / 100.0).ToString(signed ? "+0.00;-0.00" : "0.00", CultureInfo.InvariantCulture);
            cache[key] = text;
        }
        return text;
    }

    private string FpsText(double fps)
    {
        int tenths = (int)Math.Round(Math.Min(fps, 9999) * 10);
        if (!_fpsText.TryGetValue(tenths, out var text))
        {
            text = (tenths / 10.0).ToString("0.0 'fps'", CultureInfo.InvariantCulture);
            _fpsText[tenths] = text;
        }
        return text;
    }

    private static string CachedInt(Dictionary<int, string> cache, int key, string? value)
    {
        if (!cache.TryGetValue(key, out var text))
        {
            text = value ?? "#" + key.ToString(CultureInfo.InvariantCulture);
            cache[key] = text;
        }
        return text;
    }

    private static SKTypeface LoadTypeface(string? path)
    {
        // The NoDependencies Skia build has no fontconfig, so the platform default may have no glyphs: prefer a
        // real file (DejaVu ships with Debian/Ubuntu and JetPack).
        string[] candidates = path is not null
            ? [path]
            : ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"];
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate) && SKTypeface.FromFile(candidate) is { } typeface)
            {
                return typeface;
            }
        }
        if (path is not null)
        {
            throw new EdgeException($"cannot load font '{path}'");
        }
        return SKTypeface.Default;
    }
}
