using Edge.Training.Detection.Loss;
using TorchSharp;

namespace Edge.Training.Native;

/// <summary>
/// Constant Scalars for native calls, created once and never freed. In TorchSharp 0.107 a Scalar frees its native
/// value in a finalizer, and a temporary one (an implicit int/double conversion, or the alpha 1 that
/// <c>Tensor.add(Tensor)</c> and the <c>+</c> operator make) is unreachable as soon as its handle has been read: a
/// collection on another thread during the native call can free it before libtorch reads it ("Exception raised from
/// toFloat at c10/core/Scalar.h", "Unknown scalar type", a wrong value or a crash; dotnet/TorchSharp#1434 and #1496,
/// still open). So every Scalar given to a native op stays reachable until the op returns: constants come from here,
/// runtime values from <c>using var s = value.ToScalar();</c>, and sums are written <c>a.add(b, HeldScalars.One)</c>
/// instead of <c>a + b</c>. Each constant keeps the C# type its call site had (int, float or double), so dtype
/// promotion is unchanged.
/// </summary>
internal static class HeldScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar Four = 4.ToScalar();

    /// <summary>0.5f, the offset of a cell centre.</summary>
    public static readonly Scalar HalfCell = 0.5f.ToScalar();

    /// <summary>The ε of <see cref="BoxIou"/> and 1 + ε.</summary>
    public static readonly Scalar IouEps = BoxIou.Eps.ToScalar();
    public static readonly Scalar OnePlusIouEps = (1 + BoxIou.Eps).ToScalar();

    /// <summary>4/π², the CIoU aspect-ratio term's factor.</summary>
    public static readonly Scalar FourOverPiSquared = (4 / (Math.PI * Math.PI)).ToScalar();

    /// <summary>The ε of <see cref="TaskAlignedAssigner"/>.</summary>
    public static readonly Scalar AlignEps = TaskAlignedAssigner.Eps.ToScalar();

    /// <summary><c>arange(count)</c> as float32 (0, 1, ..., count − 1) with every Scalar held: TorchSharp's
    /// <c>arange(stop)</c> makes its start and step as temporaries.</summary>
    public static torch.Tensor Arange(long count, torch.Device? device = null)
    {
        using var stop = count.ToScalar();
        return torch.arange(Zero, stop, One, dtype: torch.float32, device: device);
    }
}
