using System.Buffers;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using Unitization.Namespaces.Local;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Copy;

/// <summary>
/// The copy between two namespaces on this host's file systems: each chunk is paid for from the link's budget, then
/// copied inside the kernel (<see cref="FileRangeCopy"/>, <c>copy_file_range</c>, as <c>cp</c> does), then, unless the
/// caller already has the source's checksum, hashed (XXH128) from the source while its pages are still in the page cache. The next chunk's payment is requested while
/// the current one copies, so a throttled stream nearly always has a request waiting on the budget, as
/// <see cref="BudgetedCopy"/> does. Exactly the listed length is copied and paid for; a source that is shorter or
/// longer by the end is reported, not copied.
/// </summary>
internal static class LocalFileCopy
{
    /// <summary>
    /// Copies <paramref name="length"/> bytes, reporting each chunk to <paramref name="readBack"/> as soon as it is
    /// written (the target namespace reads it back for its checksum while it is cached); with <paramref name="startWriteback"/> each chunk's writeback to disk is
    /// started as soon as it is copied (so a durable replica's final fsync has little left to wait for). Returns the bytes
    /// copied and, with <paramref name="hashSource"/>, the source's XXH128 over them as lowercase hex (as checksums are
    /// logged); without it the source is not read at all and the hash is null.</summary>
    public static async Task<(long Copied, string? Hash)> CopyAsync(
        SafeFileHandle source, long length, SafeFileHandle destination, StagedFileChecksum? readBack, bool startWriteback, bool hashSource, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken)
    {
        var hash = hashSource ? new XxHash128() : null;
        var buffer = hashSource ? ArrayPool<byte>.Shared.Rent(BudgetedCopy.ChunkSize) : null;
        Task? paying = null;
        try
        {
            long copied = 0;
            paying = PayAsync(budget, link, priority, tenant, ChunkAt(0, length), cancellationToken);
            while (copied < length)
            {
                await paying.ConfigureAwait(false);
                var chunk = ChunkAt(copied, length);
                paying = PayAsync(budget, link, priority, tenant, ChunkAt(copied + chunk, length), cancellationToken);
                var n = (int)FileRangeCopy.Copy(source, copied, destination, copied, chunk);
                if (n > 0)
                {
                    readBack?.Written(copied, n);
                    if (startWriteback)
                    {
                        Writeback.Start(destination, copied, n);
                    }

                    if (hash is not null)
                    {
                        var read = RandomAccess.Read(source, buffer.AsSpan(0, n), copied);
                        if (read != n)
                        {
                            return (copied + read, string.Empty);
                        }

                        hash.Append(buffer.AsSpan(0, n));
                    }

                    copied += n;
                }

                if (n < chunk)
                {
                    return (copied, HexOf(hash));
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            var actual = RandomAccess.GetLength(source);
            return (actual == length ? copied : actual, HexOf(hash));
        }
        finally
        {
            if (paying is not null)
            {
                try
                {
                    await paying.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static string? HexOf(XxHash128? hash) => hash is null ? null : Convert.ToHexStringLower(hash.GetCurrentHash());

    private static int ChunkAt(long offset, long length) => (int)Math.Min(BudgetedCopy.ChunkSize, length - offset);

    private static Task PayAsync(IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, int bytes, CancellationToken cancellationToken) =>
        budget is null || bytes <= 0 ? Task.CompletedTask : budget.AcquireAsync(link, priority, tenant, bytes, cancellationToken).AsTask();
}
