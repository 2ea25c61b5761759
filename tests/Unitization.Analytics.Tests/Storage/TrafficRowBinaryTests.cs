using System.Buffers;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Tests.Storage;

public sealed class TrafficRowBinaryTests
{
    [Fact]
    public void Write_OneRow_ColumnsInSchemaOrderAsClickHouseReadsThem()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(0x01020304);
        var job = new string('j', 200);
        var record = new TrafficRecord("id", job, "dcA", "dcB", 0x0A0B, "read", "router", time) { ReplicationLagSeconds = 1.5 };
        var buffer = new ArrayBufferWriter<byte>();

        TrafficRowBinary.Write(buffer, [record, record with { ReplicationLagSeconds = null }]);

        byte[] expected =
        [
            0x04, 0x03, 0x02, 0x01, // time: UInt32 little endian
            0xC8, 0x01, .. Enumerable.Repeat((byte)'j', 200), // job: LEB128 length 200, then the bytes
            3, (byte)'d', (byte)'c', (byte)'A',
            3, (byte)'d', (byte)'c', (byte)'B',
            0x0B, 0x0A, 0, 0, 0, 0, 0, 0, // bytes: UInt64
            4, (byte)'r', (byte)'e', (byte)'a', (byte)'d',
            6, (byte)'r', (byte)'o', (byte)'u', (byte)'t', (byte)'e', (byte)'r',
            2, (byte)'i', (byte)'d',
            .. BitConverter.GetBytes(RecordIdHash.Of("id")),
            0, .. BitConverter.GetBytes(1.5), // Nullable(Float64): not null, the value
        ];
        Assert.Equal(expected, buffer.WrittenSpan[..expected.Length].ToArray());
        Assert.Equal(2 * expected.Length - 8, buffer.WrittenCount);
        Assert.Equal(1, buffer.WrittenSpan[^1]); // the second row's lag is null
    }

    [Fact]
    public void Write_TimeBeforeTheEpoch_RefusedNamingTheRecord()
    {
        var record = new TrafficRecord("old", "j", "dcA", "dcB", 1, "read", "router", new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrafficRowBinary.Write(new ArrayBufferWriter<byte>(), [record]));
        Assert.Contains("'old'", e.Message, StringComparison.Ordinal);
    }
}
