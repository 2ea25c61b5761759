using Unitization.Namespaces;

namespace Unitization.Replication.Copy;

/// <summary>The copy check by both sides' stored file checksums (HDFS's GETFILECHECKSUM), as DistCp does.</summary>
internal static class StoredChecksumVerification
{
    /// <summary>
    /// Between two namespaces that keep checksums with the bytes (two HDFS: <see cref="IStoredFileChecksums"/>), the copy
    /// is verified by HDFS's own file checksum, as DistCp verifies, instead of reading it back: true when both answer
    /// the same algorithm (MD5-of-MD5-of-CRC32C with the same block size and bytes per CRC, or COMPOSITE-CRC32C,
    /// which any block size gives alike; or the XXH128 a gateway over local namespaces gives) with the same bytes; a
    /// difference throws. False when the algorithms differ (MD5-of-MD5 over different block sizes): the caller reads
    /// the copy back.
    /// </summary>
    public static async Task<bool> MatchAsync(CopyRequest request, NamespaceEntry file, string destination, CancellationToken cancellationToken)
    {
        if (request.Source is not IStoredFileChecksums { HasStoredChecksums: true } || request.Target is not IStoredFileChecksums { HasStoredChecksums: true })
        {
            return false;
        }

        // both sides asked at once: two clusters, each answering from its DataNodes
        var asked = new[] { request.Source.GetChecksumAsync(file.Path, cancellationToken), request.Target.GetChecksumAsync(destination, cancellationToken) };
        var answers = await Task.WhenAll(asked).ConfigureAwait(false);
        var (source, target) = (answers[0], answers[1]);
        if (!string.Equals(source.Algorithm, target.Algorithm, StringComparison.Ordinal) || source.Algorithm.Length == 0)
        {
            return false;
        }

        if (!string.Equals(source.Hex, target.Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new CopyVerificationException(
                $"{request.Target.Name}:{destination} has file checksum {target.Algorithm} {target.Hex} but {request.Source.Name}:{file.Path} has {source.Hex}.");
        }

        return true;
    }
}
