using System.Buffers;
using System.IO.Hashing;
using Unitization.Namespaces;

namespace Unitization.Replication.Copy;

/// <summary>
/// A big file copied in chunks (as DistCp's <c>-blocksperchunk</c> copies chunks and concatenates them): each chunk is
/// one verified part in the target (<see cref="ReplicaCopier.CopyRangeAsync"/>), so a run killed mid-file keeps the
/// parts it verified; once all are there, <see cref="AssembleAsync"/> writes them, in order, into the file, inside the
/// target.
/// </summary>
internal static class ChunkedCopy
{
    /// <summary>The checksum chunks are recorded with (the local namespace's own algorithm, so a part can be checked by its namespace).</summary>
    public const string Algorithm = "XXH128";

    /// <summary>
    /// Writes the parts into <paramref name="destination"/> (one Create): each part's bytes must hash to its recorded
    /// XXH128 as they are read, and the file, read back from the target, must hash as the parts together did.
    /// </summary>
    public static async Task AssembleAsync(INamespace target, IReadOnlyList<(string Path, long Length, string Hash)> parts, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parts);
        var whole = new XxHash128();
        long written = 0;
        var edit = await target.CreateAsync(
            destination,
            async (output, ct) =>
            {
                whole.Reset();
                written = 0;
                var buffer = ArrayPool<byte>.Shared.Rent(BudgetedCopy.ChunkSize);
                try
                {
                    foreach (var (path, length, expected) in parts)
                    {
                        var part = new XxHash128();
                        long read = 0;
                        var input = await target.OpenReadAsync(path, ct).ConfigureAwait(false);
                        await using (input.ConfigureAwait(false))
                        {
                            int n;
                            while ((n = await input.ReadAsync(buffer.AsMemory(0, BudgetedCopy.ChunkSize), ct).ConfigureAwait(false)) > 0)
                            {
                                part.Append(buffer.AsSpan(0, n));
                                whole.Append(buffer.AsSpan(0, n));
                                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                                read += n;
                            }
                        }

                        var actual = Convert.ToHexStringLower(part.GetCurrentHash());
                        if (read != length || !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                        {
                            throw new CopyVerificationException(
                                $"{target.Name}:{path} reads as XXH128 {actual} ({read} bytes) but was verified as {expected} ({length} bytes) when it was copied.");
                        }

                        written += read;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            },
            overwrite: true,
            cancellationToken).ConfigureAwait(false);
        var expectedWhole = whole.GetCurrentHashAsUInt128();
        var staged = await StagedContent.HashAsync(target, destination, cancellationToken).ConfigureAwait(false);
        if (edit.Size != written || staged.Length != written || staged.Hash != expectedWhole)
        {
            throw new CopyVerificationException(
                $"{target.Name}:{destination} reads back as XXH128 {staged.Hash:x32} ({staged.Length} bytes) but its verified chunks add up to {expectedWhole:x32} ({written} bytes).");
        }
    }
}
