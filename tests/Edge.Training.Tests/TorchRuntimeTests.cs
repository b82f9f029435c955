using Edge.Training.Native;
using static TorchSharp.torch;

namespace Edge.Training.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Torch_loads_and_multiplies_matrices()
    {
        TorchRuntime.Initialize(threads: 1);
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var c = a.matmul(b);
        // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]] by hand.
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
