using System.Buffers;
using System.Security.Cryptography;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Copy;

/// <summary>Copies a stream in chunks, taking each chunk's bytes from the link's budget before writing it (hashing what it reads).</summary>
internal static class BudgetedCopy
{
    public const int ChunkSize = 1 << 20;

    public static async Task<long> CopyAsync(
        Stream source, Stream destination, IncrementalHash? hash, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            while (true)
            {
                var read = await ReadChunkAsync(source, buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return total;
                }

                if (budget is not null)
                {
                    await budget.AcquireAsync(link, priority, tenant, read, cancellationToken).ConfigureAwait(false);
                }

                hash?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
