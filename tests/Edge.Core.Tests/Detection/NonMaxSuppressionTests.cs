using Edge.Detection;
using Edge.Geometry;

namespace Edge.Tests.DetectionTests;

using Detection = Edge.Detection.Detection;

public class NonMaxSuppressionTests
{
    private static int[] Run(Detection[] c, float iou = 0.5f, int maxDet = 300)
    {
        var keep = new int[maxDet];
        int n = NonMaxSuppression.Run(c, iou, new long[c.Length], keep);
        return keep[..n];
    }

    [Fact]
    public void SameClassOverlapKeepsTheBetterBox()
    {
        // A=(0,0,10,10), B=(1,0,11,10): intersection 9x10=90, union 110, IoU 0.818 > 0.5.
        // C=(20,20,30,30) does not touch either.
        Detection[] c =
        [
            new(new BoxF(1, 0, 11, 10), 0.8f, 0),
            new(new BoxF(0, 0, 10, 10), 0.9f, 0),
            new(new BoxF(20, 20, 30, 30), 0.3f, 0),
        ];
        Assert.Equal([1, 2], Run(c));
    }

    [Fact]
    public void DifferentClassesOverlappingAreBothKept()
    {
        Detection[] c =
        [
            new(new BoxF(0, 0, 10, 10), 0.9f, 0),
            new(new BoxF(0, 0, 10, 10), 0.8f, 2),
        ];
        Assert.Equal([0, 1], Run(c));
    }

    [Fact]
    public void IouExactlyAtThresholdIsKept()
    {
        // A=(0,0,10,10), B=(5,0,15,10): intersection 50, union 150, IoU 1/3. Suppression needs IoU > threshold.
        Detection[] c = [new(new BoxF(0, 0, 10, 10), 0.9f, 0), new(new BoxF(5, 0, 15, 10), 0.8f, 0)];
        Assert.Equal([0, 1], Run(c, iou: 0.34f));
        Assert.Equal([0], Run(c, iou: 0.33f));
    }

    [Fact]
    public void TiesKeepInputOrder()
    {
        // Three identical scores; the first two overlap fully, so index 0 wins over 1; 2 is separate.
        Detection[] c =
        [
            new(new BoxF(0, 0, 10, 10), 0.5f, 0),
            new(new BoxF(0, 0, 10, 10), 0.5f, 0),
            new(new BoxF(50, 50, 60, 60), 0.5f, 0),
        ];
        Assert.Equal([0, 2], Run(c));
        // Swapping the overlapping pair swaps the survivor: order decides ties, not the box.
        (c[0], c[1]) = (new(new BoxF(1, 1, 11, 11), 0.5f, 0), c[0]);
        Assert.Equal([0, 2], Run(c));
    }

    [Fact]
    public void EmptyInputKeepsNothing() => Assert.Empty(Run([]));

    [Fact]
    public void MaxDetectionsCapsTheResultBestFirst()
    {
        Detection[] c = [.. Enumerable.Range(0, 10).Select(i => new Detection(new BoxF(i * 20, 0, i * 20 + 10, 10), 0.1f + i * 0.05f, 0))];
        Assert.Equal([9, 8, 7], Run(c, maxDet: 3));
    }

    [Fact]
    public void SortsScoresIncludingNegativesDescending()
    {
        Detection[] c =
        [
            new(new BoxF(0, 0, 1, 1), -0.5f, 0),
            new(new BoxF(2, 0, 3, 1), 0.25f, 0),
            new(new BoxF(4, 0, 5, 1), -2f, 0),
            new(new BoxF(6, 0, 7, 1), 1.5f, 0),
        ];
        Assert.Equal([3, 1, 0, 2], Run(c));
    }
}
