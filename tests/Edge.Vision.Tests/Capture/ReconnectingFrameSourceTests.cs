using System.Diagnostics;
using Edge.Capture;
using Edge.Tests.Pipeline;
using OpenCvSharp;

namespace Edge.Tests.Capture;

/// <summary>The wrapper over real image-folder sources: a folder that appears late, ends, disappears.</summary>
public class ReconnectingFrameSourceTests
{
    private static readonly ReconnectOptions Fast = new()
    {
        OnEnd = SourceEndAction.Reconnect,
        RetryFirstOpen = true,
        Backoff = new BackoffOptions { Initial = TimeSpan.FromMilliseconds(50), Max = TimeSpan.FromMilliseconds(200), Jitter = 0 },
    };

    [Fact]
    public async Task RetriesTheFirstOpenThenReconnectsWhenTheSourceEnds()
    {
        string root = TestData.NewTempDir("late");
        string dir = Path.Combine(root, "frames");
        using var source = ReconnectingFrameSource.Open(dir, () => ImageSequenceSource.OpenFolder(dir), Fast);
        Assert.Equal(SourceState.Connecting, source.Status.State);
        Assert.Equal(1, source.Status.FailedAttempts);
        Assert.Contains("directory not found", source.Status.LastError);

        // The folder shows up while TryRead is retrying.
        string written = SyntheticFrames.WriteFolder(3);
        var mover = Task.Run(async () =>
        {
            await Task.Delay(300);
            Directory.Move(written, dir);
        });
        using var frame = new Mat();
        var pixels = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            Assert.True(source.TryRead(frame, out var stamp));
            Assert.Equal(i, stamp.Index);
            pixels.Add(frame.At<Vec3b>(0, 0).Item0);
        }
        await mover;
        // 3 frames, the end of the folder counts as an outage, then 2 more after the reconnect.
        Assert.Equal([0, 1, 2, 0, 1], pixels);
        Assert.Equal(1, source.Status.Reconnects);
        Assert.True(source.Status.FailedAttempts >= 2, $"{source.Status.FailedAttempts} failed attempts");
        Assert.Equal(SourceState.Streaming, source.Status.State);
        Assert.Equal(64, source.Width);
    }

    [Fact]
    public async Task WaitUntilOpenBlocksUntilTheSourceIsUpThenGivesItsSizeAndRate()
    {
        // The service builds the tracker, Follow Me and the video outputs for the source's size and rate, so it waits
        // for a camera that is not up at boot instead of building them for the placeholder 0x0 at 25 fps.
        string dir = Path.Combine(TestData.NewTempDir("boot"), "frames");
        using var source = ReconnectingFrameSource.Open(dir, () => ImageSequenceSource.OpenFolder(dir, fps: 10), Fast);
        Assert.Equal((0, 0, 25.0), (source.Width, source.Height, source.Fps));
        string written = SyntheticFrames.WriteFolder(3);
        var mover = Task.Run(async () =>
        {
            await Task.Delay(300);
            Directory.Move(written, dir);
        });

        Assert.True(source.WaitUntilOpen());
        await mover;
        Assert.Equal((64, 48, 10.0), (source.Width, source.Height, source.Fps));
        Assert.True(source.WaitUntilOpen()); // already open: returns at once
        source.Stop();
        using var frame = new Mat();
        Assert.False(source.TryRead(frame, out _));
    }

    [Fact]
    public async Task StopEndsABackoffWaitPromptly()
    {
        string dir = Path.Combine(TestData.NewTempDir("never"), "frames");
        var options = Fast with { Backoff = new BackoffOptions { Initial = TimeSpan.FromSeconds(30), Max = TimeSpan.FromSeconds(30) } };
        using var source = ReconnectingFrameSource.Open(dir, () => ImageSequenceSource.OpenFolder(dir), options);
        using var frame = new Mat();
        var clock = Stopwatch.StartNew();
        var read = Task.Run(() => source.TryRead(frame, out _));
        await Task.Delay(200);
        Assert.False(read.IsCompleted);
        source.Stop();
        Assert.False(await read.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(SourceState.Ended, source.Status.State);
    }

    [Fact]
    public void GivesUpAfterTheConfiguredFailures()
    {
        string dir = Path.Combine(TestData.NewTempDir("gone"), "frames");
        using var source = ReconnectingFrameSource.Open(dir, () => ImageSequenceSource.OpenFolder(dir), Fast with { MaxConsecutiveFailures = 3 });
        using var frame = new Mat();
        Assert.False(source.TryRead(frame, out _));
        // One failure at Open, three in TryRead.
        Assert.Equal(4, source.Status.FailedAttempts);
        Assert.Equal(SourceState.Ended, source.Status.State);
    }

    [Fact]
    public void AStreamThatConnectsButNeverDeliversCountsAsAFailure()
    {
        // An RTSP camera that accepts the connection and then sends nothing: every open works, every read fails.
        int opens = 0;
        using var source = ReconnectingFrameSource.Open("silent", () => { opens++; return new SilentSource(); }, Fast with { MaxConsecutiveFailures = 3 });
        using var frame = new Mat();

        Assert.False(source.TryRead(frame, out _));
        Assert.Equal(3, opens);
        Assert.Equal(SourceState.Ended, source.Status.State);
    }

    private sealed class SilentSource : IFrameSource
    {
        public string Name => "silent";
        public int Width => 64;
        public int Height => 48;
        public double Fps => 25;
        public int? FrameCount => null;
        public bool IsLive => true;
        public bool TryRead(Mat frame, out FrameStamp stamp)
        {
            stamp = default;
            return false;
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void WithoutRetryTheFirstFailureIsThrown()
    {
        string dir = Path.Combine(TestData.NewTempDir("typo"), "frames");
        var ex = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open(dir, new SourceOptions()));
        Assert.Contains(dir, ex.Message);
    }

    [Fact]
    public void AnEndingFileReportsEnded()
    {
        string dir = SyntheticFrames.WriteFolder(2);
        using var source = FrameSourceFactory.Open(dir, new SourceOptions());
        Assert.False(source.IsLive);
        Assert.Equal(2, source.FrameCount);
        using var frame = new Mat();
        Assert.True(source.TryRead(frame, out _));
        Assert.Equal(SourceState.Streaming, source.Status.State);
        Assert.True(source.TryRead(frame, out _));
        Assert.False(source.TryRead(frame, out _));
        Assert.Equal(SourceState.Ended, source.Status.State);
        Assert.Equal(0, source.Status.Reconnects);
        Assert.Equal(2, source.Status.FramesRead);
    }

    [Fact]
    public void GStreamerPipelinesNeedAnOpenCvBuiltWithGStreamer()
    {
        const string pipeline = "videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48 ! videoconvert ! appsink";
        bool listed = Cv2.GetBuildInformation().Split('\n').Any(l => l.Trim().StartsWith("GStreamer:", StringComparison.Ordinal) && l.Contains("YES", StringComparison.Ordinal));
        Assert.Equal(listed, VideoCaptureSource.HasGStreamer);
        if (!VideoCaptureSource.HasGStreamer)
        {
            var ex = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open("gst:" + pipeline));
            Assert.StartsWith($"cannot open source '{pipeline}': this OpenCV build has no GStreamer backend", ex.Message);
            return;
        }
        using var source = FrameSourceFactory.Open(pipeline);
        Assert.True(source.IsLive);
        using var frame = new Mat();
        Assert.True(source.TryRead(frame, out _));
        Assert.Equal(new Size(64, 48), frame.Size());
    }
}
