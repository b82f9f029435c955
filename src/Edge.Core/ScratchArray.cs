namespace Edge;

/// <summary>Reused per-frame buffers: hot paths keep one array per buffer and grow it only when a frame needs more,
/// so steady-state processing allocates nothing.</summary>
public static class ScratchArray
{
    /// <summary>Makes <paramref name="array"/> hold at least <paramref name="length"/> items, replacing it by one of
    /// at least twice its length when it is shorter (the old contents are not kept).</summary>
    public static void EnsureLength<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, array.Length * 2)];
        }
    }
}
