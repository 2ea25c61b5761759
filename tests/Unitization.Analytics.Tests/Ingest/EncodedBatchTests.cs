using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Tests.Ingest;

public sealed class EncodedBatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static List<TrafficRecord> Records(int n, Random random) =>
    [
        .. Enumerable.Range(0, n).Select(i => new TrafficRecord(
            $"id-{i}-" + new string('x', random.Next(0, 200)), "job" + random.Next(5), "dcA", "dcB", random.NextInt64(0, long.MaxValue), "read",
            i % 7 == 0 ? "replicator" : "router", Start.AddSeconds(random.Next(0, 7200)))
        {
            ReplicationLagSeconds = i % 7 == 0 ? random.NextDouble() * 100 : null,
        }),
    ];

    [Fact]
    public void Retain_RandomRowsDropped_TheRestInOrderWithTheirHashesTimesAndBytes()
    {
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            var records = Records(random.Next(0, 60), random);
            var keep = records.Select(_ => random.Next(3) > 0).ToArray();
            using var batch = EncodedBatch.Of(records);
            var asked = new List<(ulong, DateTimeOffset)>();

            var dropped = batch.Retain(keep, (keep, idHash, time) =>
            {
                asked.Add((idHash, time));
                return keep[asked.Count - 1];
            });

            Assert.Equal([.. records.Select(r => (RecordIdHash.Of(r.Id), r.Time))], asked);
            var kept = records.Where((_, i) => keep[i]).ToList();
            Assert.Equal(records.Count - kept.Count, dropped);
            Assert.Equal(kept, batch.Records());
            Assert.Equal(kept.Select(r => RecordIdHash.Of(r.Id)), Enumerable.Range(0, batch.Count).Select(batch.IdHash));
            Assert.Equal(kept.Select(r => r.Time), Enumerable.Range(0, batch.Count).Select(batch.TimeOf));
            using var expected = EncodedBatch.Of(kept);
            Assert.Equal(expected.Rows.ToArray(), batch.Rows.ToArray());
            if (kept.Count > 0)
            {
                Assert.Equal((kept.Min(r => r.Time), kept.Max(r => r.Time)), batch.TimeRange());
            }
        }
    }

    [Fact]
    public void Read_RowCutShort_SaysWhichColumnItEndsIn()
    {
        using var batch = EncodedBatch.Of(Records(1, new Random(2)));
        var row = batch.Row(0).ToArray();

        var e = Assert.Throws<InvalidDataException>(() => TrafficRowBinary.Read(row.AsSpan(0, 6)));
        Assert.Contains("'job'", e.Message, StringComparison.Ordinal);
        var left = Assert.Throws<InvalidDataException>(() => TrafficRowBinary.Read([.. row, 0]));
        Assert.Contains("1 bytes left over", left.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EndsThatDoNotMatchTheRows_Refused()
    {
        var rows = new PooledBufferWriter(16);
        rows.GetSpan(10);
        rows.Advance(10);
        Assert.Throws<ArgumentException>(() => new EncodedBatch(rows, [4, 9], [1, 2], 2));
        rows.Dispose();
    }
}
