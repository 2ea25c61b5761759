using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Unitization.DataManager.Communities;

/// <summary>
/// Prefetch hints for the random reads of the community passes: on a graph that does not fit in the cache, the
/// community of each neighbour (and that community's score) is a miss, and a hint issued a few nodes ahead lets those
/// misses overlap with the work on the current node. A hint never faults and changes no result; without SSE (not x86)
/// it is nothing.
/// </summary>
internal static class CachePrefetch
{
    /// <summary>Asks for the cache line holding <c>array[index]</c> (<paramref name="index"/> within the array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Element<T>(T[] array, int index)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            // the address is only a hint: if the array moves before the prefetch runs, the hint is wasted, nothing else
            Sse.Prefetch0((T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) + index);
        }
    }
}
