using OpenCvSharp;

namespace Edge.Tests;

public class VideoSmokeTests
{
    [Fact]
    public void VtestHas795FramesOf768x576()
    {
        using var capture = new VideoCapture(TestData.VideoPath);
        Assert.True(capture.IsOpened());
        Assert.Equal(768, capture.FrameWidth);
        Assert.Equal(576, capture.FrameHeight);
        Assert.Equal(795, capture.FrameCount);
    }
}
