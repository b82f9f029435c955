using Edge.Capture;
using Edge.Pipeline;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Tests.Pipeline;

[CollectionDefinition(nameof(PipelineAllocationTests), DisableParallelization = true)]
public sealed class PipelineAllocationCollection;

/// <summary>The pipeline's own machinery (three stages joined by channels, the frame pool) allocates nothing per
/// frame once running. The count is process-wide (the stages hop between pool threads), so this runs alone.</summary>
[Collection(nameof(PipelineAllocationTests))]
public class PipelineAllocationTests
{
    [Fact]
    public async Task SteadyStateFramesAllocateNothing()
    {
        // vtest.avi decodes into the pooled Mats without allocating; the stand-in detector's 2 ms inference makes the
        // output stage wait for every frame and the decode stage wait for a free frame, so every frame takes the
        // channels' blocking paths. With the caller's cancellable token on those waits this is about 200 B a frame.
        // The count is process-wide and the test host now and then does work of its own (reflection over its
        // messages), so the run is cut into windows of 50 frames and the median window is judged; a first run warms
        // up the JIT.
        await RunAsync(frames: 100);
        long[] allocatedAt = await RunAsync(frames: 420);

        const int window = 50;
        var perFrame = new List<double>();
        for (int from = 20; from + window < allocatedAt.Length; from += window)
        {
            perFrame.Add((allocatedAt[from + window] - allocatedAt[from]) / (double)window);
        }
        perFrame.Sort();
        double median = perFrame[perFrame.Count / 2];
        Assert.True(median < 16, $"median {median:0.0} B a frame; windows of {window} frames: {string.Join(", ", perFrame.Select(b => b.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    /// <summary>Runs the pipeline over the first <paramref name="frames"/> frames and returns the process's allocated
    /// bytes when each frame had passed the sinks.</summary>
    private static async Task<long[]> RunAsync(int frames)
    {
        using var source = FrameSourceFactory.Open(TestData.VideoPath);
        var sink = new CountingSink();
        var pipeline = new DetectionPipeline(new ScriptedDetector(inferMilliseconds: 2), [], [sink], new DetectionPipelineOptions { MaxFrames = frames });
        var allocatedAt = new long[frames];
        pipeline.FrameCompleted = r => allocatedAt[r.FrameIndex] = GC.GetTotalAllocatedBytes(precise: true);
        using var cts = new CancellationTokenSource(); // a cancellable caller token, as every host passes
        var stats = await pipeline.RunAsync(source, cts.Token);
        Assert.Equal(frames, stats.Frames);
        Assert.Equal(frames, sink.Frames);
        return allocatedAt;
    }

    private sealed class CountingSink : IFrameSink
    {
        public int Frames { get; private set; }

        public void OnFrame(FrameResult result, Mat frame) => Frames++;

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }
}
