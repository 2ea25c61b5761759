using System.Buffers;
using System.IO.Hashing;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Copy;

/// <summary>
/// Copies a stream in chunks, taking each chunk's bytes from the link's budget before writing it and hashing what it
/// reads. Two buffers: the next chunk is read and paid for while the current one is written, so the source's read, the
/// budget's wait and the target's write overlap instead of adding up per chunk, and the stream nearly always has a
/// request waiting on the budget (a bucket left full with nobody asking loses what it refills above its burst).
/// </summary>
internal static class BudgetedCopy
{
    public const int ChunkSize = 1 << 20;

    public static Task<long> CopyAsync(
        Stream source, Stream destination, NonCryptographicHashAlgorithm? hash, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken) =>
        CopyAsync(source, destination, hash, budget, link, priority, tenant, long.MaxValue, copiedBytes: null, cancellationToken);

    /// <summary>As above, for at most <paramref name="limit"/> bytes, reporting each chunk's bytes to <paramref name="copiedBytes"/> once written.</summary>
    public static async Task<long> CopyAsync(
        Stream source, Stream destination, NonCryptographicHashAlgorithm? hash, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, long limit,
        IProgress<long>? copiedBytes, CancellationToken cancellationToken)
    {
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(ChunkSize), ArrayPool<byte>.Shared.Rent(ChunkSize)];
        Task<int>? reading = null;
        try
        {
            long total = 0;
            var current = 0;
            reading = ReadAndPayAsync(source, buffers[current], Want(limit, 0), budget, link, priority, tenant, cancellationToken);
            while (true)
            {
                var read = await reading.ConfigureAwait(false);
                reading = null;
                if (read == 0)
                {
                    return total;
                }

                var chunk = buffers[current];
                hash?.Append(chunk.AsSpan(0, read));
                current ^= 1;
                var next = Want(limit, total + read);
                reading = read < ChunkSize || next == 0 ? Task.FromResult(0) : ReadAndPayAsync(source, buffers[current], next, budget, link, priority, tenant, cancellationToken);
                await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
                copiedBytes?.Report(read);
            }
        }
        finally
        {
            if (reading is not null)
            {
                // a failed write leaves a read in flight into a pooled buffer: let it finish before the buffer goes back
                try
                {
                    await reading.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }

            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> (less only at the end) and takes that many bytes from the budget.</summary>
    private static async Task<int> ReadAndPayAsync(
        Stream source, byte[] buffer, int want, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken)
    {
        var read = await ReadChunkAsync(source, buffer, want, cancellationToken).ConfigureAwait(false);
        if (read > 0 && budget is not null)
        {
            await budget.AcquireAsync(link, priority, tenant, read, cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    /// <summary>How much of the next chunk to read: a whole chunk, or what is left below the limit.</summary>
    private static int Want(long limit, long total) => (int)Math.Min(ChunkSize, limit - total);

    private static async Task<int> ReadChunkAsync(Stream source, byte[] buffer, int want, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < want)
        {
            var n = await source.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return filled;
    }
}
