using System.Buffers;
using System.Text.Json;
using Edge.Pipeline;
using OpenCvSharp;

namespace Edge.Sinks;

/// <summary>Writes one JSON object per frame and line (JSON Lines):
/// <c>{"frame":0,"t":0.0,"detections":[{"class":0,"name":"person","score":0.83,"box":[x1,y1,x2,y2]}]}</c>,
/// boxes in source pixels. With a tracker, <c>"tracks":[{"id":3,"class":0,"score":0.81,"box":[...],"state":"confirmed"}]</c>
/// lists every track the tracker reports: "tentative" (one match), "confirmed" or "lost" (unmatched this frame; its box is
/// the prediction). Tracks carry <c>"label"</c> and <c>"label_conf"</c> only when a secondary classifier has
/// labelled them. Each line is built with a reused <see cref="Utf8JsonWriter"/> in a pooled buffer and
/// written whole, so a cancelled run leaves only complete lines.</summary>
public sealed class JsonlDetectionSink : IFrameSink
{
    private static readonly JsonEncodedText FrameName = JsonEncodedText.Encode("frame");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("t");
    private static readonly JsonEncodedText DetectionsName = JsonEncodedText.Encode("detections");
    private static readonly JsonEncodedText ClassName = JsonEncodedText.Encode("class");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText ScoreName = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText BoxName = JsonEncodedText.Encode("box");
    private static readonly JsonEncodedText TracksName = JsonEncodedText.Encode("tracks");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText FollowName = JsonEncodedText.Encode("follow");
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText TrackIdName = JsonEncodedText.Encode("trackId");

    /// <summary>A track's <see cref="Edge.Tracking.TrackState"/> by value: a lost track's box is the tracker's
    /// prediction, not a detection.</summary>
    private static readonly JsonEncodedText[] TrackStates = [.. Enum.GetNames<Edge.Tracking.TrackState>().Select(n => JsonEncodedText.Encode(n.ToLowerInvariant()))];
    private static readonly JsonEncodedText OffsetXName = JsonEncodedText.Encode("offsetX");
    private static readonly JsonEncodedText OffsetYName = JsonEncodedText.Encode("offsetY");
    private static readonly JsonEncodedText HeightName = JsonEncodedText.Encode("height");
    private static readonly JsonEncodedText VelocityXName = JsonEncodedText.Encode("vx");
    private static readonly JsonEncodedText VelocityYName = JsonEncodedText.Encode("vy");
    private static readonly JsonEncodedText ConfidenceName = JsonEncodedText.Encode("confidence");
    private static readonly JsonEncodedText SteerName = JsonEncodedText.Encode("steer");
    private static readonly JsonEncodedText LabelName = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText LabelConfidenceName = JsonEncodedText.Encode("label_conf");

    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _classNames;
    private bool _completed;

    public JsonlDetectionSink(string path, IReadOnlyList<string> classNames)
    {
        Path = path;
        try
        {
            string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
            _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException($"cannot write detections to '{path}': {ex.Message}", ex);
        }
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _classNames = classNames.Select(n => JsonEncodedText.Encode(n)).ToArray();
    }

    public string Path { get; }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    public void OnFrame(FrameResult result, Mat frame)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber(FrameName, result.FrameIndex);
        _json.WriteNumber(TimeName, Math.Round(result.Seconds, 6));
        _json.WriteStartArray(DetectionsName);
        foreach (var d in result.Detections)
        {
            _json.WriteStartObject();
            _json.WriteNumber(ClassName, d.ClassId);
            if ((uint)d.ClassId < (uint)_classNames.Length)
            {
                _json.WriteString(NameName, _classNames[d.ClassId]);
            }
            _json.WriteNumber(ScoreName, Math.Round(d.Score, 4));
            WriteBox(d.Box);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        if (result.Tracks.Count > 0)
        {
            _json.WriteStartArray(TracksName);
            foreach (var t in result.Tracks)
            {
                _json.WriteStartObject();
                _json.WriteNumber(IdName, t.Id);
                _json.WriteNumber(ClassName, t.ClassId);
                _json.WriteNumber(ScoreName, Math.Round(t.Score, 4));
                WriteBox(t.Box);
                _json.WriteString(StateName, TrackStates[(int)t.State]);
                if (t.Label is not null)
                {
                    // Only present when a secondary classifier runs and the track has enough votes.
                    _json.WriteString(LabelName, t.Label);
                    _json.WriteNumber(LabelConfidenceName, Math.Round(t.LabelConfidence, 4));
                }
                _json.WriteEndObject();
            }
            _json.WriteEndArray();
        }
        if (result.Follow is { } follow)
        {
            WriteFollow(follow);
        }
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        _stream.Write(_buffer.WrittenSpan);
        Lines++;
    }

    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _stream.Flush(flushToDisk: false);
        _stream.Dispose();
    }

    public void Dispose()
    {
        Complete();
        _json.Dispose();
    }

    /// <summary><c>"follow":{"state":"locked","trackId":3,"box":[...],"offsetX":..,"offsetY":..,"height":..,"vx":..,
    /// "vy":..,"confidence":..,"steer":[horizontal,vertical]}</c>; no box when the lock reports none.</summary>
    private void WriteFollow(FollowStatus follow)
    {
        var c = follow.Detail;
        _json.WriteStartObject(FollowName);
        _json.WriteString(StateName, follow.State);
        _json.WriteNumber(TrackIdName, c.TrackId);
        if (c.HasBox)
        {
            WriteBox(c.Box);
        }
        _json.WriteNumber(OffsetXName, Math.Round(c.OffsetX, 4));
        _json.WriteNumber(OffsetYName, Math.Round(c.OffsetY, 4));
        _json.WriteNumber(HeightName, Math.Round(c.Height, 4));
        _json.WriteNumber(VelocityXName, Math.Round(c.VelocityX, 4));
        _json.WriteNumber(VelocityYName, Math.Round(c.VelocityY, 4));
        _json.WriteNumber(ConfidenceName, Math.Round(c.Confidence, 4));
        _json.WriteStartArray(SteerName);
        _json.WriteNumberValue(Math.Round(follow.Steering.Horizontal, 4));
        _json.WriteNumberValue(Math.Round(follow.Steering.Vertical, 4));
        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    private void WriteBox(Edge.Geometry.BoxF box)
    {
        _json.WriteStartArray(BoxName);
        _json.WriteNumberValue(Math.Round(box.X1, 2));
        _json.WriteNumberValue(Math.Round(box.Y1, 2));
        _json.WriteNumberValue(Math.Round(box.X2, 2));
        _json.WriteNumberValue(Math.Round(box.Y2, 2));
        _json.WriteEndArray();
    }
}
