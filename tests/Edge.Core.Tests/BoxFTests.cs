using Edge.Geometry;

namespace Edge.Tests;

public class BoxFTests
{
    // MOTChallenge evaluators' own IoU-distance case (../shared/data/mot/README.md): box [0,0,1,2] (x,y,w,h)
    // against five others gives distances [0, 0.5, 1, 0.8, 0.5].
    [Theory]
    [InlineData(0f, 0f, 1f, 2f, 0f)]
    [InlineData(0f, 0f, 1f, 1f, 0.5f)]
    [InlineData(1f, 1f, 1f, 1f, 1f)]
    [InlineData(0.5f, 0f, 1f, 1f, 0.8f)]
    [InlineData(0f, 1f, 1f, 1f, 0.5f)]
    public void IoUDistanceMatchesEvaluators(float x, float y, float w, float h, float expectedDistance)
    {
        var a = BoxF.FromXywh(0, 0, 1, 2);
        var b = BoxF.FromXywh(x, y, w, h);
        Assert.Equal(expectedDistance, 1f - a.IoU(b), 5);
        Assert.Equal(a.IoU(b), b.IoU(a), 6);
    }

    [Fact]
    public void ClipKeepsBoxInsideImage()
    {
        var clipped = new BoxF(-5, 10, 900, 700).Clip(768, 576);
        Assert.Equal(new BoxF(0, 10, 768, 576), clipped);
    }
}
