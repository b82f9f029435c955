using System.Text.Json;
using Edge.Capture;
using Edge.Detection;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Tests.Sinks;

public class JsonlDetectionSinkTests
{
    [Fact]
    public void WritesOneParsableLinePerFrame()
    {
        string path = Path.Combine(TestData.NewTempDir("jsonl"), "sub", "d.jsonl");
        using var frame = new Mat(4, 4, MatType.CV_8UC3);
        var r = new FrameResult();
        using (var sink = new JsonlDetectionSink(path, ["person", "bicycle"]))
        {
            r.Begin(new FrameStamp(0, 0), 768, 576);
            r.Detections.Add(new Edge.Detection.Detection(new BoxF(1.5f, 2.25f, 100, 200.125f), 0.83f, 0));
            r.Detections.Add(new Edge.Detection.Detection(new BoxF(5, 6, 7, 8), 0.5f, 1));
            sink.OnFrame(r, frame);
            r.Begin(new FrameStamp(1, 0.1), 768, 576);
            sink.OnFrame(r, frame);
            sink.Complete();
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(0, root.GetProperty("frame").GetInt32());
        Assert.Equal(0, root.GetProperty("t").GetDouble());
        var dets = root.GetProperty("detections");
        Assert.Equal(2, dets.GetArrayLength());
        Assert.Equal(0, dets[0].GetProperty("class").GetInt32());
        Assert.Equal("person", dets[0].GetProperty("name").GetString());
        Assert.Equal(0.83, dets[0].GetProperty("score").GetDouble(), 4);
        // Rounded to 0.01 px with .NET's default round-half-to-even: 200.125 -> 200.12.
        Assert.Equal([1.5, 2.25, 100, 200.12], dets[0].GetProperty("box").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("bicycle", dets[1].GetProperty("name").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, second.RootElement.GetProperty("frame").GetInt32());
        Assert.Equal(0.1, second.RootElement.GetProperty("t").GetDouble());
        Assert.Equal(0, second.RootElement.GetProperty("detections").GetArrayLength());
    }

    [Fact]
    public void TracksSayWhetherTheirBoxIsADetectionOrAPrediction()
    {
        string path = Path.Combine(TestData.NewTempDir("jsonl"), "t.jsonl");
        using var frame = new Mat(4, 4, MatType.CV_8UC3);
        var r = new FrameResult();
        r.Begin(new FrameStamp(0, 0), 768, 576);
        r.Tracks.Add(new Edge.Tracking.TrackView(1, new BoxF(0, 0, 10, 20), 0.9f, 0, Edge.Tracking.TrackState.Confirmed, 0, 0, 0, 0));
        r.Tracks.Add(new Edge.Tracking.TrackView(2, new BoxF(20, 0, 30, 20), 0.7f, 0, Edge.Tracking.TrackState.Tentative, 0, 1, 0, 0));
        r.Tracks.Add(new Edge.Tracking.TrackView(3, new BoxF(40, 0, 50, 20), 0.25f, 0, Edge.Tracking.TrackState.Lost, 4, -1, 0, 0));
        using (var sink = new JsonlDetectionSink(path, ["person"]))
        {
            sink.OnFrame(r, frame);
        }

        using var doc = JsonDocument.Parse(File.ReadAllLines(path).Single());
        Assert.Equal(["confirmed", "tentative", "lost"], doc.RootElement.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
    }

    [Fact]
    public void UnwritablePathIsAnEdgeExceptionNamingIt()
    {
        string file = Path.Combine(TestData.NewTempDir("jsonl"), "file");
        File.WriteAllText(file, "x");
        string path = Path.Combine(file, "d.jsonl");
        var ex = Assert.Throws<EdgeException>(() => new JsonlDetectionSink(path, ["person"]));
        Assert.Contains(path, ex.Message);
    }
}
