using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Unitization.Namespaces;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>
/// HDFS's file checksum computed from a file's bytes, as the DataNodes compute it from the CRC32C of every
/// <c>bytesPerCRC</c> (512) bytes they store, so any namespace can give the answer GETFILECHECKSUM gives:
/// <list type="bullet">
/// <item><c>MD5-of-{crcPerBlock}MD5-of-512CRC32C</c>: per block, the MD5 of its chunk CRCs (each a big-endian int);
/// the MD5 of those block MD5s; <c>bytes</c> is bytesPerCRC (int), crcPerBlock (long, the CRCs of the first block
/// when the file has more than one block, else 0) and the MD5, big-endian: 28 bytes
/// (MD5MD5CRC32CastagnoliFileChecksum).</item>
/// <item><c>COMPOSITE-CRC32C</c>: the chunk CRCs composed across blocks, which is the CRC32C of the whole file; 4
/// bytes, big-endian (CompositeCrcFileChecksum), the same whatever the block size.</item>
/// <item>An empty file (no blocks) in either mode: <c>MD5-of-0MD5-of-0CRC32</c> with the MD5 of 32 zero bytes, the
/// value HDFS has returned for it since HDFS-4090.</item>
/// </list>
/// The file length is set in <see cref="FileChecksum.Length"/>.
/// </summary>
internal static class HdfsFileChecksum
{
    public const int DefaultBytesPerCrc = 512;

    public const string CompositeAlgorithm = "COMPOSITE-CRC32C";

    /// <summary>Whether <paramref name="algorithm"/> is one HDFS names (so two such answers can be compared).</summary>
    public static bool IsHdfsAlgorithm(string algorithm) =>
        algorithm.StartsWith("MD5-of-", StringComparison.Ordinal) || algorithm.StartsWith("COMPOSITE-", StringComparison.Ordinal);

    public static async Task<FileChecksum> ComputeAsync(Stream data, long blockSize, HdfsChecksumMode mode, CancellationToken cancellationToken, int bytesPerCrc = DefaultBytesPerCrc)
    {
        ArgumentNullException.ThrowIfNull(data);
        var calculator = new Calculator(blockSize, mode, bytesPerCrc);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = await data.ReadAsync(buffer.AsMemory(0, 1 << 20), cancellationToken).ConfigureAwait(false)) > 0)
            {
                calculator.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return calculator.Finish();
    }

    public static FileChecksum Compute(ReadOnlySpan<byte> data, long blockSize, HdfsChecksumMode mode, int bytesPerCrc = DefaultBytesPerCrc)
    {
        var calculator = new Calculator(blockSize, mode, bytesPerCrc);
        calculator.Append(data);
        return calculator.Finish();
    }

    /// <summary>The CRC-32C (Castagnoli; init and final xor all ones) of <paramref name="data"/> continued from <paramref name="crc"/> (0 to start).</summary>
    public static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return ~state;
    }

    /// <summary>Feeds a file's bytes in order; <see cref="Finish"/> gives the checksum.</summary>
    internal sealed class Calculator
    {
        private readonly long _blockSize;
        private readonly HdfsChecksumMode _mode;
        private readonly int _bytesPerCrc;
        private readonly IncrementalHash _blockMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private readonly IncrementalHash _fileMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private long _length;
        private long _inBlock;
        private int _inChunk;
        private uint _chunkCrc;
        private uint _fileCrc;
        private long _blocks;
        private long _crcsInBlock;
        private long _crcsInFirstBlock;

        public Calculator(long blockSize, HdfsChecksumMode mode, int bytesPerCrc)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerCrc, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, bytesPerCrc);
            if (blockSize % bytesPerCrc != 0)
            {
                throw new ArgumentException($"The block size {blockSize} must be a multiple of bytesPerCRC {bytesPerCrc} (HDFS refuses others).", nameof(blockSize));
            }

            (_blockSize, _mode, _bytesPerCrc) = (blockSize, mode, bytesPerCrc);
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            if (_mode == HdfsChecksumMode.CompositeCrc)
            {
                _fileCrc = Crc32C(_fileCrc, data);
                _length += data.Length;
                return;
            }

            while (!data.IsEmpty)
            {
                var take = (int)Math.Min(data.Length, _bytesPerCrc - _inChunk);
                _chunkCrc = Crc32C(_chunkCrc, data[..take]);
                _inChunk += take;
                _inBlock += take;
                _length += take;
                data = data[take..];
                if (_inChunk == _bytesPerCrc)
                {
                    EndChunk();
                }

                if (_inBlock == _blockSize)
                {
                    EndBlock();
                }
            }
        }

        public FileChecksum Finish()
        {
            if (_length == 0)
            {
                // HDFS-4090: an empty file answers the MD5 of the 32 zero bytes of an unused DataOutputBuffer
                return new FileChecksum("MD5-of-0MD5-of-0CRC32", "00000000" + "0000000000000000" + Convert.ToHexStringLower(MD5.HashData(new byte[32])), 0);
            }

            if (_mode == HdfsChecksumMode.CompositeCrc)
            {
                return new FileChecksum(CompositeAlgorithm, _fileCrc.ToString("x8", CultureInfo.InvariantCulture), _length);
            }

            if (_inChunk > 0)
            {
                EndChunk();
            }

            if (_inBlock > 0)
            {
                EndBlock();
            }

            var crcPerBlock = _blocks > 1 ? _crcsInFirstBlock : 0;
            var bytes = new byte[28];
            BinaryPrimitives.WriteInt32BigEndian(bytes, _bytesPerCrc);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), crcPerBlock);
            _fileMd5.GetHashAndReset(bytes.AsSpan(12));
            return new FileChecksum($"MD5-of-{crcPerBlock}MD5-of-{_bytesPerCrc}CRC32C", Convert.ToHexStringLower(bytes), _length);
        }

        private void EndChunk()
        {
            Span<byte> crc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, _chunkCrc);
            _blockMd5.AppendData(crc);
            _crcsInBlock++;
            (_chunkCrc, _inChunk) = (0, 0);
        }

        private void EndBlock()
        {
            Span<byte> md5 = stackalloc byte[16];
            _blockMd5.GetHashAndReset(md5);
            _fileMd5.AppendData(md5);
            if (_blocks == 0)
            {
                _crcsInFirstBlock = _crcsInBlock;
            }

            _blocks++;
            (_inBlock, _crcsInBlock) = (0, 0);
        }
    }
}
