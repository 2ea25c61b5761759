using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Streams;

/// <summary>
/// A stream whose reads and writes spend from a link's budget: a write waits for its bytes before it is passed on;
/// a read is passed on (at most one chunk) and the bytes it returned are paid before the next. Async only: the
/// synchronous members throw, because waiting for budget must not block a thread.
/// </summary>
public sealed class ThrottledStream : Stream
{
    /// <summary>Largest piece one acquire asks for, so many streams interleave finely.</summary>
    public const int DefaultChunkBytes = 64 * 1024;

    private readonly Stream _inner;
    private readonly IBandwidthBudget _budget;
    private readonly LinkId _link;
    private readonly TrafficPriority _priority;
    private readonly string _tenant;
    private readonly int _chunk;
    private readonly bool _leaveOpen;

    public ThrottledStream(
        Stream inner,
        IBandwidthBudget budget,
        LinkId link,
        TrafficPriority priority,
        string tenant,
        int chunkBytes = DefaultChunkBytes,
        bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        _inner = inner;
        _budget = budget;
        _link = link;
        _priority = priority;
        _tenant = tenant;
        _chunk = chunkBytes;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes that have crossed the link through this stream, both directions.</summary>
    public long BytesTransferred { get; private set; }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _chunk)], cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            await _budget.AcquireAsync(_link, _priority, _tenant, read, cancellationToken).ConfigureAwait(false);
            BytesTransferred += read;
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var piece = buffer[..Math.Min(buffer.Length, _chunk)];
            await _budget.AcquireAsync(_link, _priority, _tenant, piece.Length, cancellationToken).ConfigureAwait(false);
            await _inner.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
            BytesTransferred += piece.Length;
            buffer = buffer[piece.Length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw SyncNotSupported();

    public override void Write(byte[] buffer, int offset, int count) => throw SyncNotSupported();

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void SetLength(long value) => _inner.SetLength(value);

    public override async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static NotSupportedException SyncNotSupported() =>
        new("ThrottledStream waits for bandwidth asynchronously; use ReadAsync/WriteAsync/CopyToAsync.");
}
