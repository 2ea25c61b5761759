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
    /// started as soon as it is copied (so a durable replica's final fsync has little left to wait for), and with
    /// <paramref name="dropBehind"/> as well what lies <see cref="DropBehindLag"/> behind is waited for and dropped from
    /// the page cache. Returns the bytes
    /// copied and, with <paramref name="hashSource"/>, the source's XXH128 over them as lowercase hex (as checksums are
    /// logged); without it the source is not read at all and the hash is null.</summary>
    public static Task<(long Copied, string? Hash)> CopyAsync(
        SafeFileHandle source, long length, SafeFileHandle destination, StagedFileChecksum? readBack, bool startWriteback, bool dropBehind, bool hashSource, IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, CancellationToken cancellationToken) =>
        CopyAsync(source, 0, length, wholeFile: true, destination, readBack, startWriteback, dropBehind, hashSource, budget, link, priority, tenant, copiedBytes: null, cancellationToken);

    /// <summary>
    /// As the whole-file copy, from <paramref name="sourceOffset"/> of the source to the start of the destination (one
    /// chunk of a big file), reporting each chunk's bytes to <paramref name="copiedBytes"/> as it lands. A source
    /// shorter than the range is reported (fewer bytes copied). With <paramref name="wholeFile"/> a source longer than
    /// <paramref name="length"/> is reported too (it changed since it was listed); a range of a longer file, at any offset, is not.
    /// </summary>
    public static async Task<(long Copied, string? Hash)> CopyAsync(
        SafeFileHandle source, long sourceOffset, long length, bool wholeFile, SafeFileHandle destination, StagedFileChecksum? readBack, bool startWriteback, bool dropBehind, bool hashSource,
        IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, IProgress<long>? copiedBytes, CancellationToken cancellationToken)
    {
        var hash = hashSource ? new XxHash128() : null;
        var buffer = hashSource ? ArrayPool<byte>.Shared.Rent(BudgetedCopy.ChunkSize) : null;
        Task? paying = null;
        long dropped = 0;
        try
        {
            long copied = 0;
            paying = PayAsync(budget, link, priority, tenant, ChunkAt(0, length), cancellationToken);
            while (copied < length)
            {
                await paying.ConfigureAwait(false);
                var chunk = ChunkAt(copied, length);
                paying = PayAsync(budget, link, priority, tenant, ChunkAt(copied + chunk, length), cancellationToken);
                var n = (int)FileRangeCopy.Copy(source, sourceOffset + copied, destination, copied, chunk);
                if (n > 0)
                {
                    readBack?.Written(copied, n);
                    if (startWriteback)
                    {
                        Writeback.Start(destination, copied, n);
                        // what lies DropBehindLag behind the copy has been read back and its writeback started: wait for
                        // it and drop it from the page cache
                        var behind = copied + n - DropBehindLag;
                        if (dropBehind && behind - dropped >= DropBehindLag)
                        {
                            Writeback.DropBehind(destination, dropped, behind - dropped);
                            dropped = behind;
                        }
                    }

                    if (hash is not null)
                    {
                        var read = RandomAccess.Read(source, buffer.AsSpan(0, n), sourceOffset + copied);
                        if (read != n)
                        {
                            return (copied + read, string.Empty);
                        }

                        hash.Append(buffer.AsSpan(0, n));
                    }

                    copied += n;
                    copiedBytes?.Report(n);
                }

                if (n < chunk)
                {
                    return (copied, HexOf(hash));
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            var actual = RandomAccess.GetLength(source) - sourceOffset;
            return (actual == length || (!wholeFile && actual > length) ? copied : actual, HexOf(hash));
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

    /// <summary>
    /// How far a durable copy's page-cache drop trails the copy (<see cref="Writeback.DropBehind"/>, at least this much
    /// at a time): files up to twice this size keep their pages. The drop makes each copy wait for its own writeback
    /// 8 MiB behind it, which on the 8.2 GB bench cost about a tenth of the durable replica's throughput; the CPU it
    /// seemed to save (3.5–5.9 s instead of 8.8–11.9 s) was the VM's free page reporting charging the copy that does not
    /// recycle its pages, and is gone with that off (3.3–4.2 s either way).
    /// </summary>
    internal const long DropBehindLag = 8L << 20;

    private static string? HexOf(XxHash128? hash) => hash is null ? null : Convert.ToHexStringLower(hash.GetCurrentHash());

    private static int ChunkAt(long offset, long length) => (int)Math.Min(BudgetedCopy.ChunkSize, length - offset);

    private static Task PayAsync(IBandwidthBudget? budget, LinkId link, TrafficPriority priority, string tenant, int bytes, CancellationToken cancellationToken) =>
        budget is null || bytes <= 0 ? Task.CompletedTask : budget.AcquireAsync(link, priority, tenant, bytes, cancellationToken).AsTask();
}
