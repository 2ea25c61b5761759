namespace Unitization.Namespaces;

/// <summary>
/// A namespace whose <see cref="INamespace.GetChecksumAsync"/> answers from checksums the file system keeps as it
/// stores the bytes (HDFS: the DataNodes' CRC32C of every 512 bytes, combined as MD5-of-MD5-of-CRC32C or
/// COMPOSITE-CRC32C), without reading the file. Two such namespaces giving the same algorithm compare files by it, as
/// DistCp does, instead of reading the copy back.
/// </summary>
public interface IStoredFileChecksums
{
    bool HasStoredChecksums { get; }
}
