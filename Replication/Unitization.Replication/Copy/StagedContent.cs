using System.Buffers;
using System.IO.Hashing;
using Unitization.Namespaces;

namespace Unitization.Replication.Copy;

/// <summary>
/// The XXH128 of a file's bytes as a namespace returns them. The copier hashes what it read from the source in the
/// same pass that writes it, then reads the staged file back (it was just written, so from the page cache) and compares:
/// a corruption check, as HDFS's CRC32C is, not a defence against an adversary, so a fast non-cryptographic hash
/// (tens of GB/s with SIMD) serves, as it does for the checksum the local namespace records as it stores a file.
/// </summary>
internal static class StagedContent
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Reads <paramref name="path"/> from <paramref name="ns"/> to the end: its XXH128 and its length.</summary>
    public static async Task<(UInt128 Hash, long Length)> HashAsync(INamespace ns, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var stream = await ns.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                long length = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.Append(buffer.AsSpan(0, read));
                    length += read;
                }

                return (hash.GetCurrentHashAsUInt128(), length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
