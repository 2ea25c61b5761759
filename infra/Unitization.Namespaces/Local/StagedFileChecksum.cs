using System.Buffers;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The checksum a local namespace logs for a file created from a handle (<see cref="ILocalFileAccess.CreateFromHandleAsync"/>):
/// the XXH128 of the bytes read back from the file, front to back. A writer that fills the file in order may report
/// each range right after writing it (<see cref="Written"/>), so the namespace reads it back while it is still in the
/// CPU's cache; whatever was not reported (or not in order) is read back when the writer is done, to the end of the
/// file. A writer must not change a range after reporting it.
/// </summary>
public sealed class StagedFileChecksum
{
    private const int Chunk = 1 << 20;

    private readonly SafeFileHandle _file;
    private readonly XxHash128 _hash = new();
    private byte[]? _buffer;
    private long _hashed;

    internal StagedFileChecksum(SafeFileHandle file) => _file = file;

    /// <summary>The writer wrote <paramref name="count"/> bytes at <paramref name="offset"/>; read back now if they continue what was read back so far.</summary>
    public void Written(long offset, long count)
    {
        if (offset == _hashed && count > 0)
        {
            ReadBack(offset + count, CancellationToken.None);
        }
    }

    /// <summary>Reads back the rest of the file; the XXH128 and length of all of it.</summary>
    internal FileChecksum Finish(string algorithm, CancellationToken cancellationToken)
    {
        ReadBack(long.MaxValue, cancellationToken);
        return new FileChecksum(algorithm, Convert.ToHexStringLower(_hash.GetHashAndReset()), _hashed);
    }

    /// <summary>Returns the read buffer to the pool; the namespace calls it once the Create's file is written.</summary>
    internal void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private void ReadBack(long end, CancellationToken cancellationToken)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(Chunk);
        while (_hashed < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = RandomAccess.Read(_file, _buffer.AsSpan(0, (int)Math.Min(Chunk, end - _hashed)), _hashed);
            if (read == 0)
            {
                return;
            }

            _hash.Append(_buffer.AsSpan(0, read));
            _hashed += read;
        }
    }
}
