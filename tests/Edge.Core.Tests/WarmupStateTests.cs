using Edge.Health;

namespace Edge.Tests;

public class WarmupStateTests
{
    [Fact]
    public async Task HealthyOnlyAfterReady()
    {
        var state = new WarmupState();
        Assert.Equal(WarmupPhase.Starting, state.Current.Phase);
        Assert.False(state.IsHealthy);

        state.MarkWarmingUp("building TensorRT engine");
        Assert.Equal("building TensorRT engine", state.Current.Detail);
        Assert.False(state.IsHealthy);
        Assert.False(state.WhenReady.IsCompleted);

        state.MarkReady();
        await state.WhenReady.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(state.IsHealthy);

        state.MarkWarmingUp("late step"); // ignored once ready
        Assert.Equal(WarmupPhase.Ready, state.Current.Phase);
    }

    [Fact]
    public async Task FailureBeforeReadyFaultsTheWaiter()
    {
        var state = new WarmupState();
        state.MarkWarmingUp("opening camera");
        state.MarkFailed("camera /dev/video0 not found");
        var ex = await Assert.ThrowsAsync<EdgeException>(() => state.WhenReady);
        Assert.Contains("camera /dev/video0 not found", ex.Message);
        state.MarkReady();
        Assert.Equal(WarmupPhase.Failed, state.Current.Phase);
    }

    [Fact]
    public void FailureAfterReadyTurnsUnhealthy()
    {
        var state = new WarmupState();
        state.MarkReady();
        state.MarkFailed("capture stalled");
        Assert.False(state.IsHealthy);
        Assert.Equal("capture stalled", state.Current.Detail);
    }
}
