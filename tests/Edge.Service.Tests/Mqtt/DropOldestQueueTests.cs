using Edge.Service.Mqtt;

namespace Edge.Service.Tests.Mqtt;

public sealed class DropOldestQueueTests
{
    [Fact]
    public void WhenFull_DropsTheOldest_AndCounts()
    {
        var q = new DropOldestQueue<int>(3);
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal(i > 3, q.Enqueue(i));
        }
        Assert.Equal(3, q.Count);
        Assert.Equal(2, q.Dropped);
        var drained = new List<int>();
        while (q.TryPeek(out int item, out long ticket))
        {
            Assert.True(q.RemoveIfHead(ticket));
            drained.Add(item);
        }
        Assert.Equal([3, 4, 5], drained);
    }

    [Fact]
    public void RemoveIfHead_IgnoresAHeadThatWasDroppedMeanwhile()
    {
        var q = new DropOldestQueue<string>(2);
        q.Enqueue("a");
        q.Enqueue("b");
        Assert.True(q.TryPeek(out var head, out long ticket));
        Assert.Equal("a", head);
        q.Enqueue("c"); // drops "a" while it is being published
        Assert.False(q.RemoveIfHead(ticket));
        Assert.True(q.TryPeek(out head, out _));
        Assert.Equal("b", head);
        Assert.Equal(2, q.Count);
    }

    [Fact]
    public void PeekWithoutRemove_KeepsTheItem()
    {
        var q = new DropOldestQueue<int>(4);
        Assert.False(q.TryPeek(out _, out _));
        q.Enqueue(7);
        Assert.True(q.TryPeek(out int a, out _));
        Assert.True(q.TryPeek(out int b, out _));
        Assert.Equal(7, a);
        Assert.Equal(7, b);
        Assert.Equal(1, q.Count);
    }
}
