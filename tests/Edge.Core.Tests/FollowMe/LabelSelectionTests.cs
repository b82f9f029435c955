using Edge.FollowMe;
using Edge.Tracking;
using static Edge.Tests.FollowMe.SyntheticScene;

namespace Edge.Tests.FollowMe;

public class LabelSelectionTests
{
    [Fact]
    public void LabelSelectionWaitsForTheLabelThenTakesTheMostConfidentCarrier()
    {
        var lockOn = new TargetLock(new FollowOptions { FrameRate = Fps }, Width, Height);
        lockOn.Select(TargetSelection.WithLabel("hi-vis"));
        TrackView[] unlabelled = [Person(1, 200f, index: 0), Person(2, 660f, index: 1), Person(3, 1000f, index: 2)];
        Assert.Equal(FollowState.Idle, lockOn.Update(unlabelled).State);

        TrackView[] labelled =
        [
            Person(1, 200f, index: 0) with { Label = "other", LabelConfidence = 0.99f },
            Person(2, 660f, index: 1) with { Label = "hi-vis", LabelConfidence = 0.7f },
            Person(3, 1000f, index: 2) with { Label = "Hi-Vis", LabelConfidence = 0.9f },
        ];
        FollowCommand command = lockOn.Update(labelled);
        Assert.Equal((FollowState.Locked, 3), (command.State, command.TrackId));
    }
}
