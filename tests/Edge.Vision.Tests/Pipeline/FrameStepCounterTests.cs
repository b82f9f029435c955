using Edge.Capture;
using Edge.Pipeline;

namespace Edge.Tests.Pipeline;

public class FrameStepCounterTests
{
    [Fact]
    public void StepsCountDroppedFramesAndTheFramesOfAnOutage()
    {
        var counter = new FrameStepCounter();
        // 25 fps live source: frames 0-2 in time, 3-4 dropped by newest-frame mode, 6 read 35 ms late (still one
        // step), then the camera is down for 2 s and its indices go on from 7 (frames read, not frames missed).
        FrameStamp[] stamps = [new(0, 0.00), new(1, 0.04), new(2, 0.08), new(5, 0.20), new(6, 0.275), new(7, 2.28), new(8, 2.32)];
        int[] steps = [.. stamps.Select(s => counter.Next(s, 25))];

        Assert.Equal([1, 1, 1, 3, 1, 50, 1], steps);
    }

    [Fact]
    public void AFileAtAnyRateStepsByItsIndices()
    {
        // File timestamps are index / fps: floating-point error must not lose a frame (3 / 29.97 * 29.97 < 3).
        var counter = new FrameStepCounter();
        const double fps = 29.97;
        int[] steps = [.. new long[] { 0, 3, 6, 7, 10 }.Select(i => counter.Next(new FrameStamp(i, i / fps), fps))];

        Assert.Equal([1, 3, 3, 1, 3], steps);
    }
}
