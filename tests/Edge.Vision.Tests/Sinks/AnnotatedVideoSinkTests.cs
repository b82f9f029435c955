using Edge.Capture;
using Edge.Detection;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Tests.Sinks;

public class AnnotatedVideoSinkTests
{
    [Theory]
    [InlineData("out.mp4")]
    [InlineData("out.avi")]
    public void WritesEveryFrameAtTheGivenFps(string name)
    {
        string path = Path.Combine(TestData.NewTempDir("video"), name);
        using (var sink = new AnnotatedVideoSink(path, 10, new OverlayRenderer(["person"])))
        {
            var r = new FrameResult();
            using var frame = new Mat();
            for (int i = 0; i < 12; i++)
            {
                frame.Create(96, 128, MatType.CV_8UC3);
                frame.SetTo(new Scalar(40, 40, 40));
                r.Begin(new FrameStamp(i, i / 10.0), 128, 96);
                r.Detections.Add(new Edge.Detection.Detection(new BoxF(20, 20, 100, 80), 0.7f, 0));
                sink.OnFrame(r, frame);
            }
            sink.Complete();
            Assert.Equal(12, sink.FramesWritten);
        }

        using var capture = new VideoCapture(path);
        Assert.True(capture.IsOpened());
        Assert.Equal(128, capture.FrameWidth);
        Assert.Equal(96, capture.FrameHeight);
        Assert.Equal(10, capture.Fps, 1);
        int read = 0;
        using var back = new Mat();
        while (capture.Read(back) && !back.Empty())
        {
            read++;
        }
        Assert.Equal(12, read);
    }

    [Fact]
    public void UnknownExtensionIsRejected()
    {
        using var renderer = new OverlayRenderer(["person"]);
        var ex = Assert.Throws<EdgeException>(() => new AnnotatedVideoSink("x.gif", 10, renderer, ownsRenderer: false));
        Assert.Contains("x.gif", ex.Message);
    }
}

public class AnnotatedVideoSegmentTests
{
    private sealed class SteppingTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        // Every segment opens a minute after the previous one.
        public override DateTimeOffset GetUtcNow()
        {
            var now = _now;
            _now = _now.AddMinutes(1);
            return now;
        }
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(2, 2)]
    public void RollsOverBySourceTimeAndKeepsTheNewestSegments(int? keep, int expectedFiles)
    {
        string dir = TestData.NewTempDir("segments");
        string path = Path.Combine(dir, "cam.avi");
        var start = new DateTimeOffset(2026, 11, 23, 21, 0, 0, TimeSpan.Zero);
        var segments = new VideoSegmentOptions { Length = TimeSpan.FromSeconds(0.5), Keep = keep, Time = new SteppingTime(start) };
        const int frames = 23;
        using (var sink = new AnnotatedVideoSink(path, 10, new OverlayRenderer(["person"]), segments: segments))
        {
            var r = new FrameResult();
            using var frame = new Mat();
            for (int i = 0; i < frames; i++)
            {
                frame.Create(48, 64, MatType.CV_8UC3);
                frame.SetTo(new Scalar(i * 10, 40, 40));
                r.Begin(new FrameStamp(i, i / 10.0), 64, 48);
                sink.OnFrame(r, frame);
            }
            sink.Complete();
            Assert.Equal(frames, sink.FramesWritten);
            // 0.5 s at 10 fps: 5 frames per segment -> 5, 5, 5, 5, 3.
            Assert.Equal(5, sink.SegmentsWritten);
            Assert.Equal(expectedFiles, sink.Files.Count);
        }

        string[] onDisk = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToArray();
        int first = 5 - expectedFiles;
        string[] expectedNames = Enumerable.Range(first, expectedFiles)
            .Select(i => Path.Combine(dir, $"cam_{i:D5}_{start.AddMinutes(i):yyyyMMdd'T'HHmmss'Z'}.avi")).ToArray();
        Assert.Equal(expectedNames, onDisk);
        Assert.Equal(AnnotatedVideoSink.SegmentPath(path, 3, start.AddMinutes(3)), Path.Combine(dir, "cam_00003_20261123T210300Z.avi"));

        int[] counts = onDisk.Select(CountFrames).ToArray();
        int[] expectedCounts = new[] { 5, 5, 5, 5, 3 }[first..];
        Assert.Equal(expectedCounts, counts);
        if (keep is null)
        {
            Assert.Equal(frames, counts.Sum());
        }
    }

    private static int CountFrames(string file)
    {
        using var capture = new VideoCapture(file);
        Assert.True(capture.IsOpened(), file);
        int read = 0;
        using var back = new Mat();
        while (capture.Read(back) && !back.Empty())
        {
            read++;
        }
        return read;
    }
}
