using Edge.Service.Web;

namespace Edge.Service.Tests.Web;

public class LiveFrameBroadcasterTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xD9];

    [Fact]
    public async Task FramesAreWantedOnlyWithinTheDemandWindowOfARequest()
    {
        var frames = new LiveFrameBroadcaster(TimeSpan.FromMilliseconds(300));
        Assert.False(frames.Wanted); // nobody has asked yet: the producer encodes nothing

        var next = frames.WaitForFrameAsync(0, CancellationToken.None);
        Assert.True(frames.Wanted);
        Assert.False(next.IsCompleted);
        frames.Publish(Jpeg, 640, 480);
        LiveFrame first = await next;
        Assert.Equal((1L, 640, 480), (first.Sequence, first.Width, first.Height));

        await Task.Delay(500);
        Assert.False(frames.Wanted); // the request is older than the window: the viewer is gone
        Assert.Same(first, await frames.WaitForFrameAsync(0, CancellationToken.None)); // an older sequence is served at once
        Assert.True(frames.Wanted);                                                     // and asking renews the demand
    }
}
