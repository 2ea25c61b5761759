using Unitization.Hdfs.WebHdfs;

namespace Unitization.Hdfs.Tests.WebHdfs;

public sealed class HdfsFileChecksumTests
{
    // the expected values were computed apart from this code (a bitwise CRC-32C and MD5, by the layout of
    // MD5MD5CRC32FileChecksum: bytesPerCRC int, crcPerBlock long, MD5)
    private static byte[] Data(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(((i * 31) + 7) % 251))];

    [Fact]
    public void Crc32C_CheckValue_MatchesCastagnoli() =>
        Assert.Equal(0xE3069283u, HdfsFileChecksum.Crc32C(0, "123456789"u8));

    [Fact]
    public void Compute_TwoBlocks_Md5OfBlockMd5sWithCrcPerBlockOfFirst()
    {
        var checksum = HdfsFileChecksum.Compute(Data(2600), blockSize: 1024, HdfsChecksumMode.Md5Md5Crc);
        Assert.Equal("MD5-of-2MD5-of-512CRC32C", checksum.Algorithm);
        Assert.Equal("0000020000000000000000021d56291c966995483b24e28e2bea7333", checksum.Hex);
        Assert.Equal(2600, checksum.Length);
    }

    [Fact]
    public void Compute_OneBlock_CrcPerBlockZero()
    {
        Assert.Equal("000002000000000000000000ed38e673a6b0b34e34e5b256c46f904f", HdfsFileChecksum.Compute(Data(700), 1024, HdfsChecksumMode.Md5Md5Crc).Hex);
        var big = HdfsFileChecksum.Compute(Data(2600), 4096, HdfsChecksumMode.Md5Md5Crc);
        Assert.Equal("MD5-of-0MD5-of-512CRC32C", big.Algorithm);
        Assert.Equal("0000020000000000000000001619ee3fc69fa50f9e633706e7909569", big.Hex);
    }

    [Fact]
    public void Compute_Composite_CrcOfWholeFileWhateverTheBlockSize()
    {
        var small = HdfsFileChecksum.Compute(Data(2600), 1024, HdfsChecksumMode.CompositeCrc);
        var large = HdfsFileChecksum.Compute(Data(2600), 128 * 1024 * 1024, HdfsChecksumMode.CompositeCrc);
        Assert.Equal(new Namespaces.FileChecksum("COMPOSITE-CRC32C", "d00167be", 2600), small);
        Assert.Equal(small, large);
    }

    [Fact]
    public void Compute_Empty_Hdfs4090MagicEntry()
    {
        foreach (var mode in new[] { HdfsChecksumMode.Md5Md5Crc, HdfsChecksumMode.CompositeCrc })
        {
            var empty = HdfsFileChecksum.Compute([], 1024, mode);
            Assert.Equal("MD5-of-0MD5-of-0CRC32", empty.Algorithm);
            Assert.Equal("00000000000000000000000070bc8f4b72a86921468bf8e8441dce51", empty.Hex);
        }
    }

    [Fact]
    public async Task ComputeAsync_StreamInOddPieces_SameAsWhole()
    {
        var data = Data(5000);
        var whole = HdfsFileChecksum.Compute(data, 1024, HdfsChecksumMode.Md5Md5Crc);
        await using var stream = new TrickleStream(data, 37);
        Assert.Equal(whole, await HdfsFileChecksum.ComputeAsync(stream, 1024, HdfsChecksumMode.Md5Md5Crc, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Compute_BlockSizeNotMultipleOfBytesPerCrc_Refused() =>
        Assert.Throws<ArgumentException>(() => HdfsFileChecksum.Compute(Data(10), 1000, HdfsChecksumMode.Md5Md5Crc));

    /// <summary>A stream that returns at most <c>piece</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }
}
