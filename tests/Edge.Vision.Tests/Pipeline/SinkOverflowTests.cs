using System.Diagnostics;
using Edge.Capture;
using Edge.Pipeline;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Tests.Pipeline;

public class SinkOverflowTests
{
    [Fact]
    public async Task ASlowSinkDropsItsOwnFramesWithoutStallingTheOthers()
    {
        string dir = SyntheticFrames.WriteFolder(60);
        using var source = ImageSequenceSource.OpenFolder(dir);
        var slow = new SlowSink(TimeSpan.FromMilliseconds(40));
        var fast = new RecordingSink();
        // 5 ms per frame for the detector: the fast sink keeps up easily, the 40 ms one cannot.
        var pipeline = new DetectionPipeline(new ScriptedDetector(inferMilliseconds: 5), [], [slow, fast],
            new DetectionPipelineOptions { SinkOverflow = SinkOverflow.Drop, SinkQueueCapacity = 8 });
        var stats = await pipeline.RunAsync(source);

        // The fast sink saw every frame in order; the slow one saw what it could, and every frame is accounted for.
        Assert.Equal(60, stats.Frames);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), fast.Frames.Select(f => f.Index));
        var slowStats = stats.Sinks[0];
        Assert.Equal(nameof(SlowSink), slowStats.Name);
        Assert.Equal(60, slowStats.Delivered + slowStats.Dropped);
        Assert.True(slowStats.Dropped > 0, "the slow sink dropped nothing");
        Assert.Equal(slowStats.Delivered, slow.Seen.Count);
        Assert.Equal(60, stats.Sinks[1].Delivered);
        Assert.Equal(0, stats.Sinks[1].Dropped);
        // The output thread only copies into the queues: a typical frame's sink stage is far below the slow sink's 40 ms.
        Assert.True(stats[PipelineStage.Sinks].P50 < 20, $"sink stage p50 {stats[PipelineStage.Sinks].P50:0.0} ms");
        // The queued copies are the frames' own: pixel, score and index agree, in increasing order.
        for (int i = 0; i < slow.Seen.Count; i++)
        {
            Assert.Equal(slow.Seen[i].Index, slow.Seen[i].Pixel);
            Assert.Equal(slow.Seen[i].Index / 255f, slow.Seen[i].Score, 6);
            Assert.True(i == 0 || slow.Seen[i].Index > slow.Seen[i - 1].Index);
        }
        Assert.Equal(1, slow.Completions);
    }

    [Fact]
    public async Task OfflineFileRunsWaitForSlowSinksByDefault()
    {
        string dir = SyntheticFrames.WriteFolder(20);
        using var source = ImageSequenceSource.OpenFolder(dir);
        var slow = new SlowSink(TimeSpan.FromMilliseconds(10));
        var stats = await new DetectionPipeline(new ScriptedDetector(), [], [slow]).RunAsync(source);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), slow.Seen.Select(f => f.Index));
        Assert.Equal(20, stats.Sinks[0].Delivered);
        Assert.Equal(0, stats.Sinks[0].Dropped);
        Assert.Equal(0, stats.FramesDropped);
        Assert.Equal(20, stats.FramesCaptured);
    }

    [Fact]
    public async Task AQueuedSinkFailureIsRethrown()
    {
        string dir = SyntheticFrames.WriteFolder(30);
        using var source = ImageSequenceSource.OpenFolder(dir);
        // ">= 3", not "== 3": with a one-frame queue frame 3 itself may be dropped for this sink.
        var sink = new RecordingSink { Fail = r => r.FrameIndex >= 3 ? new EdgeException("disk full") : null };
        var pipeline = new DetectionPipeline(new ScriptedDetector(inferMilliseconds: 2), [], [sink],
            new DetectionPipelineOptions { SinkOverflow = SinkOverflow.Drop, SinkQueueCapacity = 1 });
        var ex = await Assert.ThrowsAsync<EdgeException>(() => pipeline.RunAsync(source));
        Assert.Equal("disk full", ex.Message);
        Assert.Equal(1, sink.Completions);
        Assert.True(sink.Frames.Count <= 3);
    }

    [Fact]
    public async Task RealtimeRunsPaceAFileAtItsFpsAndDropWhatTheDetectorCannotKeepUpWith()
    {
        // 40 frames at 100 fps = 0.4 s of video; 25 ms of inference per frame caps the detector at 40 fps.
        string dir = SyntheticFrames.WriteFolder(40);
        using var source = ImageSequenceSource.OpenFolder(dir, fps: 100);
        var sink = new RecordingSink();
        var pipeline = new DetectionPipeline(new ScriptedDetector(inferMilliseconds: 25), [], [sink],
            new DetectionPipelineOptions { Realtime = true, SinkOverflow = SinkOverflow.Wait });
        var clock = Stopwatch.StartNew();

        var stats = await pipeline.RunAsync(source);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.39), $"not paced: {clock.Elapsed}");
        Assert.Equal(40, stats.FramesCaptured);
        Assert.True(stats.FramesDropped > 0, "nothing dropped");
        Assert.Equal(40, stats.Frames + stats.FramesDropped);
        Assert.Equal(stats.Frames, sink.Frames.Count);
        // Each processed frame is its own (pixel = index) and they stay in order.
        for (int i = 0; i < sink.Frames.Count; i++)
        {
            Assert.Equal(sink.Frames[i].Index, sink.Frames[i].Pixel);
            Assert.True(i == 0 || sink.Frames[i].Index > sink.Frames[i - 1].Index);
        }
        // The newest frame wins: the last frame of the file is always processed.
        Assert.Equal(39, sink.Frames[^1].Index);
    }

    [Fact]
    public async Task LoopedFilesKeepIncreasingIndicesAndTimestamps()
    {
        string dir = SyntheticFrames.WriteFolder(4);
        using var source = FrameSourceFactory.Open(dir, new SourceOptions { Loop = true, ImageFps = 10 });
        Assert.Null(source.FrameCount);
        var sink = new RecordingSink();
        var stats = await new DetectionPipeline(new ScriptedDetector(), [], [sink], new DetectionPipelineOptions { MaxFrames = 10 }).RunAsync(source);
        Assert.Equal(10, stats.Frames);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), sink.Frames.Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i / 10.0), sink.Frames.Select(f => Math.Round(f.Seconds, 9)));
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3, 0, 1], sink.Frames.Select(f => (int)f.Pixel));
        Assert.Equal(0, source.Status.Reconnects);
        Assert.Equal(10, source.Status.FramesRead);
    }

    private sealed class SlowSink(TimeSpan delay) : IFrameSink
    {
        public List<(long Index, float Score, byte Pixel)> Seen { get; } = [];

        public int Completions { get; private set; }

        public void OnFrame(FrameResult result, Mat frame)
        {
            Thread.Sleep(delay);
            Seen.Add((result.FrameIndex, result.Detections[0].Score, frame.At<Vec3b>(0, 0).Item0));
        }

        public void Complete() => Completions++;

        public void Dispose()
        {
        }
    }
}
