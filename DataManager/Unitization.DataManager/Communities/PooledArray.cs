using System.Buffers;

namespace Unitization.DataManager.Communities;

/// <summary>
/// Work arrays of a Leiden run, rented from <see cref="ArrayPool{T}.Shared"/> and returned when the phase that needs
/// them ends, so the levels and iterations of a run (and later runs) reuse the same memory. A fresh array of tens of
/// megabytes costs more in page faults than the pass that fills it (measured: 24 MB written fresh 20-30x slower than
/// reused, under the server GC), and each level used to allocate its own. A rented array may be longer than asked
/// for: callers index by their own lengths, never by <c>Length</c>.
/// </summary>
internal static class PooledArray
{
    /// <summary>An array of at least <paramref name="length"/> elements whose first <paramref name="length"/> are zero.</summary>
    public static T[] Rent<T>(int length)
    {
        var array = ArrayPool<T>.Shared.Rent(Math.Max(1, length));
        Array.Clear(array, 0, length);
        return array;
    }

    /// <summary>An array of at least <paramref name="length"/> elements, not cleared (the caller writes all it reads).</summary>
    public static T[] RentUncleared<T>(int length) => ArrayPool<T>.Shared.Rent(Math.Max(1, length));

    public static void Return<T>(T[]? array)
    {
        if (array is not null)
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }
}
