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
