using System.Text.Json;
using Edge.Capture;
using Edge.Evaluation;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Sinks;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Tests.Sinks;

/// <summary>Secondary-classifier labels in the file outputs: present only on labelled tracks, absent otherwise so
/// runs without a classifier write what they always wrote.</summary>
public class LabelOutputTests
{
    private static void Fill(FrameResult r)
    {
        r.Begin(new FrameStamp(4, 0.4), 768, 576);
        var box = new BoxF(100, 100, 150, 220);
        r.Detections.Add(new Edge.Detection.Detection(box, 0.9f, 0));
        r.Detections.Add(new Edge.Detection.Detection(new BoxF(300, 100, 350, 220), 0.8f, 0));
        r.Tracks.Add(new TrackView(7, box, 0.9f, 0, TrackState.Confirmed, 0, 0, 0, 0) { Label = "hi-vis", LabelConfidence = 0.91234f });
        r.Tracks.Add(new TrackView(8, new BoxF(300, 100, 350, 220), 0.8f, 0, TrackState.Confirmed, 0, 1, 0, 0));
    }

    [Fact]
    public void JsonLinesCarryLabelsOnlyOnLabelledTracks()
    {
        string path = Path.Combine(TestData.NewTempDir("labels"), "t.jsonl");
        var r = new FrameResult();
        using var frame = new Mat();
        using (var sink = new JsonlDetectionSink(path, ["person"]))
        {
            Fill(r);
            sink.OnFrame(r, frame);
        }
        using var doc = JsonDocument.Parse(File.ReadAllLines(path).Single());
        var tracks = doc.RootElement.GetProperty("tracks");
        Assert.Equal("hi-vis", tracks[0].GetProperty("label").GetString());
        Assert.Equal(0.9123, tracks[0].GetProperty("label_conf").GetDouble(), 6);
        Assert.False(tracks[1].TryGetProperty("label", out _));
        Assert.False(tracks[1].TryGetProperty("label_conf", out _));
        Assert.DoesNotContain("label", doc.RootElement.GetProperty("detections").GetRawText());
    }

    [Fact]
    public void MotSideFileListsLabelsAndTheMotFileKeepsTenColumns()
    {
        string dir = TestData.NewTempDir("labels");
        string mot = Path.Combine(dir, "t.txt"), side = Path.Combine(dir, "t.labels.txt");
        var r = new FrameResult();
        using var frame = new Mat();
        using (var sink = new MotResultsSink(mot, TrackOutputFilter.None, side))
        {
            Fill(r);
            sink.OnFrame(r, frame);
        }
        Assert.All(File.ReadAllLines(mot), l => Assert.Equal(10, l.Split(',').Length));
        Assert.Equal(2, File.ReadAllLines(mot).Length);
        Assert.Equal(["5,7,hi-vis,0.912"], File.ReadAllLines(side));
    }
}
