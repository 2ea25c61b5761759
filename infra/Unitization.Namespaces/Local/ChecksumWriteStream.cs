using System.IO.Hashing;

namespace Unitization.Namespaces.Local;

/// <summary>Passes writes through to a file while hashing them (<see cref="LocalChecksum.Algorithm"/>) and counting bytes, so a create needs no second pass.</summary>
internal sealed class ChecksumWriteStream(Stream inner) : Stream
{
    private readonly XxHash128 _hash = new();
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("A namespace file is written front to back.");
    }

    /// <summary>The checksum and length of everything written.</summary>
    public FileChecksum Finish() => new(LocalChecksum.Algorithm, Convert.ToHexStringLower(_hash.GetHashAndReset()), _length);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _hash.Append(buffer);
        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.Append(buffer.Span);
        _length += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
