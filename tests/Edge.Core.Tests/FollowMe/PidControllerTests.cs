using Edge.FollowMe;

namespace Edge.Tests.FollowMe;

public class PidControllerTests
{
    [Fact]
    public void PidStepsMatchHandComputation()
    {
        // Kp 2, Ki 1, Kd 0.5, dt 0.1, no limits hit.
        // e = 0.5: I = 0.05, D = 0 (first step) -> 2*0.5 + 0.05 = 1.05
        // e = 0.3: I = 0.08, D = (0.3-0.5)/0.1 = -2 -> 0.6 + 0.08 - 1.0 = -0.32
        // e = 0.3: I = 0.11, D = 0 -> 0.6 + 0.11 = 0.71
        var pid = new PidController(new PidSettings(2f, 1f, 0.5f, 0f, -10f, 10f, 0f));
        Assert.Equal(1.05f, pid.Update(0.5f, 0.1f), 5);
        Assert.Equal(-0.32f, pid.Update(0.3f, 0.1f), 5);
        Assert.Equal(0.71f, pid.Update(0.3f, 0.1f), 5);
    }

    [Fact]
    public void DeadBandShiftsTheError()
    {
        // Dead-band 0.1, Kp 1: e = 0.05 -> 0; e = 0.3 -> 0.2; e = -0.3 -> -0.2.
        var pid = new PidController(new PidSettings(1f, 0f, 0f, 0.1f, -1f, 1f, 0f));
        Assert.Equal(0f, pid.Update(0.05f, 0.1f));
        Assert.Equal(0.2f, pid.Update(0.3f, 0.1f), 5);
        Assert.Equal(-0.2f, pid.Update(-0.3f, 0.1f), 5);
    }

    [Fact]
    public void OutputClampAndRateLimit()
    {
        // Kp 10, limit +-1, slew 2/s, dt 0.1 -> at most 0.2 per step: 0.2, 0.4, 0.6 towards the clamp of 1.
        var pid = new PidController(new PidSettings(10f, 0f, 0f, 0f, -1f, 1f, 2f));
        Assert.Equal(0.2f, pid.Update(1f, 0.1f), 5);
        Assert.Equal(0.4f, pid.Update(1f, 0.1f), 5);
        Assert.Equal(0.6f, pid.Update(1f, 0.1f), 5);
    }

    [Fact]
    public void IntegralDoesNotWindUpInSaturation()
    {
        // Ki 10, limit 1, dt 0.1, error 1 for 10 steps: I = 0.1 (out 1.0), then the output saturates
        // (1.1 > 1), so I stays 0.1. With the error reversed to -0.5: I = 0.05, out = 0.5 * ... -> Ki*I = 0.5;
        // a wound-up integral (1.0) would instead hold the output at the clamp.
        var pid = new PidController(new PidSettings(0f, 10f, 0f, 0f, -1f, 1f, 0f));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(1f, pid.Update(1f, 0.1f), 5);
        }
        Assert.Equal(0.5f, pid.Update(-0.5f, 0.1f), 5);
    }

    [Fact]
    public void ResetClearsMemory()
    {
        var pid = new PidController(new PidSettings(1f, 1f, 1f, 0f, -10f, 10f, 0f));
        pid.Update(1f, 0.1f);
        pid.Update(2f, 0.1f);
        pid.Reset();
        // After reset: same as a first step, I = 0.1, D = 0 -> 1 + 0.1 = 1.1.
        Assert.Equal(1.1f, pid.Update(1f, 0.1f), 5);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        var ex = Assert.Throws<EdgeException>(() => new PidController(new PidSettings(1f, 0f, 0f, 0f, 1f, -1f, 0f)));
        Assert.Contains("OutputMin", ex.Message);
    }
}
