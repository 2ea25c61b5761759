using Unitization.Analytics.Ingest;

namespace Unitization.Analytics.Tests.Ingest;

public sealed class IngestBuffersTests
{
    [Fact]
    public void MessageArena_ManyMessages_EachCopyHoldsItsOwnBytes()
    {
        var arena = new MessageArena();
        var random = new Random(7);
        var messages = Enumerable.Range(0, 600).Select(i => Enumerable.Range(0, random.Next(1, 40_000)).Select(b => (byte)(i + b)).ToArray()).ToList();

        var copies = messages.Select(m => arena.Copy(m)).ToList();

        for (var i = 0; i < messages.Count; i++)
        {
            Assert.True(copies[i].Span.SequenceEqual(messages[i]), $"message {i}");
        }

        arena.Release();
        Assert.True(arena.Copy([1, 2, 3]).Span.SequenceEqual(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void MessageArena_MessageBiggerThanAQuarterSlab_GetsAnArrayOfItsOwn()
    {
        var big = new byte[(MessageArena.SlabSize / 4) + 1];
        big[^1] = 9;

        var copy = new MessageArena().Copy(big);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(copy, out var segment));
        Assert.Equal(big.Length, segment.Array!.Length);
        Assert.Equal(9, copy.Span[^1]);
    }

    [Fact]
    public void ArenaDeserializer_NullOrEmptyValue_IsEmpty()
    {
        var deserializer = new ArenaDeserializer();

        Assert.True(deserializer.Deserialize([], isNull: true, default).IsEmpty);
        Assert.Equal(2, deserializer.Deserialize([4, 5], isNull: false, default).Length);
    }

    [Fact]
    public void PooledBufferWriter_GrowsPastItsFirstBuffer_KeepsWhatWasWritten()
    {
        using var writer = new PooledBufferWriter(16);
        var expected = new List<byte>();
        for (var i = 0; i < 5000; i++)
        {
            var span = writer.GetSpan(3);
            span[0] = (byte)i;
            span[1] = (byte)(i >> 8);
            span[2] = 0xAB;
            writer.Advance(3);
            expected.AddRange([(byte)i, (byte)(i >> 8), 0xAB]);
        }

        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(int.MaxValue));
    }
}
