using Edge.Capture;
using OpenCvSharp;

namespace Edge.Tests.Capture;

public class FrameSourceTests
{
    [Fact]
    public void ImageFolderReadsImagesInNameOrderAndSkipsOtherFiles()
    {
        string dir = TestData.NewTempDir("folder");
        // Written out of order; values in the blue channel say which file it is.
        foreach (int i in new[] { 3, 1, 10, 2 })
        {
            using var m = new Mat(8, 12, MatType.CV_8UC3, new Scalar(i, 0, 0));
            Cv2.ImWrite(Path.Combine(dir, $"{i:D6}.png"), m);
        }
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");

        using var source = FrameSourceFactory.Open(dir);
        Assert.Equal(4, source.FrameCount);
        Assert.Equal(12, source.Width);
        Assert.Equal(8, source.Height);
        Assert.False(source.IsLive);
        using var frame = new Mat();
        var seen = new List<int>();
        while (source.TryRead(frame, out var stamp))
        {
            Assert.Equal(seen.Count, stamp.Index);
            seen.Add(frame.At<Vec3b>(0, 0).Item0);
        }
        Assert.Equal([1, 2, 3, 10], seen);
    }

    [Fact]
    public void MissingVideoNamesThePath()
    {
        string path = Path.Combine(TestData.NewTempDir("missing"), "x.avi");
        var ex = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open(path));
        Assert.Equal($"cannot open video '{path}': file not found", ex.Message);
    }

    [Fact]
    public void MissingImageAndFolderNameThePath()
    {
        string dir = TestData.NewTempDir("missing");
        var image = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open(Path.Combine(dir, "a.jpg")));
        Assert.Contains(Path.Combine(dir, "a.jpg"), image.Message);
        var empty = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open(dir));
        Assert.Contains(dir, empty.Message);
        Assert.Contains("no images", empty.Message);
    }

    [Fact]
    public void ACameraModeIsCheckedAndAnAbsentCameraIsNamedWhateverTheMode()
    {
        // No camera is attached here: the requested mode is asked only of an opened device, so the error stays the
        // camera's, not a failed property call.
        Assert.False(File.Exists("/dev/video63"), "this test needs /dev/video63 to be absent");
        var ex = Assert.Throws<EdgeException>(() => VideoCaptureSource.OpenCamera(63, "/dev/video63", new CameraMode(1280, 720, 30)));
        Assert.Equal("cannot open source '/dev/video63': camera not available", ex.Message);
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => FrameSourceFactory.Open("/dev/video63", new SourceOptions { CameraMode = new CameraMode(-1, 720, 30) }));
        Assert.Equal(nameof(SourceOptions.CameraMode), bad.ParamName);
    }

    [Fact]
    public void CorruptVideoIsReportedAsUndecodable()
    {
        string path = Path.Combine(TestData.NewTempDir("corrupt"), "broken.avi");
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open(path));
        Assert.Equal($"cannot open video '{path}': not a video OpenCV can decode", ex.Message);
    }

    [Fact]
    public void VideoFileReportsSizeFpsCountAndIndexTimestamps()
    {
        using var source = FrameSourceFactory.Open(TestData.VideoPath);
        // vtest.avi: 795 frames of 768x576 at 10 fps (OpenCV sample data).
        Assert.Equal(768, source.Width);
        Assert.Equal(576, source.Height);
        Assert.Equal(795, source.FrameCount);
        Assert.Equal(10, source.Fps, 3);
        Assert.False(source.IsLive);
        using var frame = new Mat();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(source.TryRead(frame, out var stamp));
            Assert.Equal(i, stamp.Index);
            Assert.Equal(i / 10.0, stamp.Seconds, 9);
            Assert.Equal(MatType.CV_8UC3, frame.Type());
        }
    }

    [Theory]
    [InlineData("0", FrameSourceKind.Camera)]
    [InlineData("/dev/video2", FrameSourceKind.Camera)]
    [InlineData("rtsp://192.168.1.10:8554/cam", FrameSourceKind.NetworkStream)]
    [InlineData("http://host/stream.mjpg", FrameSourceKind.NetworkStream)]
    [InlineData("videotestsrc ! videoconvert ! appsink", FrameSourceKind.GStreamerPipeline)]
    [InlineData("gst:v4l2src device=/dev/video0 ! videoconvert ! appsink", FrameSourceKind.GStreamerPipeline)]
    [InlineData("clip.mp4", FrameSourceKind.VideoFile)]
    [InlineData("photo.JPG", FrameSourceKind.Image)]
    public void ClassifiesSourceStrings(string source, FrameSourceKind expected)
    {
        Assert.Equal(expected, FrameSourceFactory.Classify(source));
    }
}
