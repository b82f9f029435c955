using Edge.FollowMe;

namespace Edge.Tests.FollowMe;

public class TargetSelectionTests
{
    [Theory]
    [InlineData("point:0,0")]
    [InlineData("point:768,576")]
    [InlineData("region:0,0,99999,99999")] // covers the frame: the first person anywhere
    [InlineData("region:-50,-50,1,1")]
    [InlineData("largest")]
    [InlineData("id:12345")] // ids are not bounded by the frame
    public void ASelectionThatCanMatchSomeoneInTheFramePasses(string text) =>
        TargetSelection.Parse(text).CheckInside(768, 576);

    [Theory]
    [InlineData("point:99999,99999", "--select point:99999,99999 lies outside the 768x576 frame (source pixels).")]
    [InlineData("point:-1,10", "--select point:-1,10 lies outside the 768x576 frame (source pixels).")]
    [InlineData("region:800,0,900,100", "--select region:800,0,900,100 lies wholly outside the 768x576 frame (source pixels).")]
    public void APointOrRegionOutsideTheFrameIsAnErrorNamingIt(string text, string message)
    {
        var ex = Assert.Throws<EdgeException>(() => TargetSelection.Parse(text).CheckInside(768, 576));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void AnUnknownFrameSizeChecksNothing() => TargetSelection.Parse("point:99999,99999").CheckInside(0, 0);
}
