namespace Edge.Tests;

public class ScratchArrayTests
{
    [Fact]
    public void AnArrayLongEnoughIsKept()
    {
        int[] array = new int[8];
        int[] before = array;

        ScratchArray.EnsureLength(ref array, 8);

        Assert.Same(before, array);
    }

    [Theory]
    [InlineData(0, 5, 5)]    // from empty: exactly what is asked
    [InlineData(8, 9, 16)]   // a little more: doubled, so a slowly growing scene reallocates O(log n) times
    [InlineData(8, 100, 100)] // much more: what is asked
    public void AShortArrayIsReplacedByOneOfAtLeastTwiceItsLength(int initial, int needed, int expected)
    {
        float[] array = new float[initial];

        ScratchArray.EnsureLength(ref array, needed);

        Assert.Equal(expected, array.Length);
    }
}
