using System.Buffers;
using Confluent.Kafka;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// The ingest's reused memory. At hundreds of thousands of records a second, fresh arrays for every message and every
/// encoded batch cost more than parsing them: the runtime zeroes each one and the kernel faults its pages in. Message
/// bytes go into slabs (<see cref="MessageArena"/>) and encoded rows into rented buffers, all returned once used.
/// </summary>
internal static class IngestBuffers
{
    /// <summary>Slabs and row buffers: up to 64 MB arrays, a few of each size kept (what three batches in flight need).</summary>
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(maxArrayLength: 64 << 20, maxArraysPerBucket: 24);
}

/// <summary>
/// The bytes of one batch's messages, copied out of librdkafka's buffers back to back into pooled 4 MB slabs (a message
/// bigger than a quarter slab gets an array of its own). <see cref="Release"/> returns the slabs once the batch is parsed.
/// </summary>
internal sealed class MessageArena
{
    public const int SlabSize = 4 << 20;
    private readonly List<byte[]> _slabs = [];
    private byte[]? _current;
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data)
    {
        if (data.Length > SlabSize / 4)
        {
            return data.ToArray();
        }

        if (_current is null || SlabSize - _used < data.Length)
        {
            _current = IngestBuffers.Pool.Rent(SlabSize);
            _slabs.Add(_current);
            _used = 0;
        }

        data.CopyTo(_current.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_current, _used, data.Length);
        _used += data.Length;
        return copy;
    }

    /// <summary>Returns the slabs: every message copied so far is invalid from here on.</summary>
    public void Release()
    {
        foreach (var slab in _slabs)
        {
            IngestBuffers.Pool.Return(slab);
        }

        _slabs.Clear();
        _current = null;
        _used = 0;
    }
}

/// <summary>
/// Deserializes a message value into the arena of the batch being filled (set by the consuming thread before each
/// batch), instead of a new array per message.
/// </summary>
internal sealed class ArenaDeserializer : IDeserializer<ReadOnlyMemory<byte>>
{
    public MessageArena Arena { get; set; } = new();

    public ReadOnlyMemory<byte> Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        isNull || data.IsEmpty ? ReadOnlyMemory<byte>.Empty : Arena.Copy(data);
}

/// <summary>A growable output buffer rented from <see cref="IngestBuffers.Pool"/> (not zeroed); <see cref="Dispose"/> returns it.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;

    public PooledBufferWriter(int initialCapacity)
    {
        _buffer = IngestBuffers.Pool.Rent(Math.Max(256, initialCapacity));
    }

    public int WrittenCount { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, WrittenCount);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, WrittenCount);

    /// <summary>The bytes written, to change in place (<see cref="EncodedBatch.Retain"/> moves rows down).</summary>
    public Span<byte> WrittenBuffer => _buffer.AsSpan(0, WrittenCount);

    /// <summary>Forgets what was written past <paramref name="count"/> bytes.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, WrittenCount);
        WrittenCount = count;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - WrittenCount);
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    private void Ensure(int sizeHint)
    {
        var needed = WrittenCount + Math.Max(1, sizeHint);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = IngestBuffers.Pool.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, WrittenCount).CopyTo(bigger);
        IngestBuffers.Pool.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            IngestBuffers.Pool.Return(_buffer);
            _buffer = [];
            WrittenCount = 0;
        }
    }
}
