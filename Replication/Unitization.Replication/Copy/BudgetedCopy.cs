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

    public static async Task<long> CopyAsync(
        Stream source, Stream destination, NonCryptographicHashAlgorithm? hash, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken)
    {
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(ChunkSize), ArrayPool<byte>.Shared.Rent(ChunkSize)];
        Task<int>? reading = null;
        try
        {
            long total = 0;
            var current = 0;
            reading = ReadAndPayAsync(source, buffers[current], budget, link, priority, tenant, cancellationToken);
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
                reading = read < ChunkSize ? Task.FromResult(0) : ReadAndPayAsync(source, buffers[current], budget, link, priority, tenant, cancellationToken);
                await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
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
        Stream source, byte[] buffer, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken)
    {
        var read = await ReadChunkAsync(source, buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0 && budget is not null)
        {
            await budget.AcquireAsync(link, priority, tenant, read, cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    private static async Task<int> ReadChunkAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var n = await source.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return filled;
    }
}
