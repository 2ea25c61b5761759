using System.Buffers;
using System.Text;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Tests.Traffic;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Tests.Ingest;

/// <summary>
/// The ingest encodes a flat record's row and id hash straight from the message bytes: they must be byte for byte what
/// the record-based encoder writes for the record the readers return, for every line either reader takes.
/// </summary>
public sealed class IngestLineReaderTests
{
    private static readonly string[] Lines =
    [
        .. MutatedTrafficLines.Lines,
        """{"id":"c-\u00e9","job":"copy","sourceDatacenter":"dcA","destinationDatacenter":"dcB","bytes":7,"operation":"copy","component":"replicator","time":"2026-11-23T08:20:01Z","replicationLagSeconds":2.5}""",
    ];

    [Fact]
    public void ReadMessage_MutatedLines_RowsAndHashesSameAsTheRecordEncoder()
    {
        var (flat, full) = (0, 0);
        foreach (var utf8 in MutatedTrafficLines.Generate(Lines, seed: 7, count: 30_000, minEdits: 0, maxEdits: 2))
        {
            // the reader's room starts at 3 of 5 slots: what it writes must land there and nowhere else
            var ends = new int[5];
            var hashes = new ulong[5];
            using var rows = new PooledBufferWriter(16);
            var reader = new IngestLineReader(ends, hashes, 3, 4, rows);
            var accepted = reader.TryRead(utf8, out var error);

            Assert.Equal(TrafficRecordJson.TryParse(utf8, out var expected, out var expectedError), accepted);
            Assert.Equal(expectedError, error);
            Assert.Equal(accepted ? 4 : 3, reader.Next);
            if (!accepted)
            {
                Assert.All(ends, e => Assert.Equal(0, e));
                Assert.All(hashes, h => Assert.Equal(0UL, h));
                Assert.Equal(0, rows.WrittenCount);
                continue;
            }

            _ = TrafficRecordJson.TryParseFlat(utf8, out _) ? flat++ : full++;
            Assert.Equal(RecordIdHash.Of(expected!.Id), hashes[3]);
            Assert.Equal(1, hashes.Count(h => h != 0));
            Assert.Equal(rows.WrittenCount, ends[3]);
            Assert.Equal(1, ends.Count(e => e != 0));
            var encoded = new ArrayBufferWriter<byte>();
            TrafficRowBinary.Write(encoded, [expected]);
            Assert.Equal(encoded.WrittenSpan.ToArray(), rows.WrittenSpan.ToArray());

            // and the row decodes to the record (its time to the second, as ClickHouse keeps it)
            Assert.Equal(expected with { Time = DateTimeOffset.FromUnixTimeSeconds(expected.Time.ToUnixTimeSeconds()) }, TrafficRowBinary.Read(rows.WrittenSpan));
        }

        Assert.True(flat > 1000 && full > 1000, $"{flat} lines took the flat path and {full} the full reader: both need to be covered");
    }

    [Fact]
    public void ReadMessage_JsonLines_OneRowPerValidLineInOrderAndTheBadLineNamed()
    {
        var message = Encoding.UTF8.GetBytes(Lines[0] + "\n{\"id\":1}\n" + Lines[2] + "\n");
        // pooled, as the batch hands them back to the shared pools
        var ends = ArrayPool<int>.Shared.Rent(4);
        var hashes = ArrayPool<ulong>.Shared.Rent(4);
        var rows = new PooledBufferWriter(16);
        var errors = new List<TrafficLineError>();
        var reader = new IngestLineReader(ends, hashes, 0, 4, rows);

        TrafficRecordJson.ReadMessage(message, ref reader, errors);

        Assert.Equal(2, reader.Next);
        Assert.Equal(2, Assert.Single(errors).Line);
        using var batch = new EncodedBatch(rows, ends, hashes, 2);
        Assert.Equal(["router-7f3a-42", "c-é"], batch.Records().Select(r => r.Id));
        Assert.Equal([RecordIdHash.Of("router-7f3a-42"), RecordIdHash.Of("c-é")], hashes[..2]);
        using var encoded = EncodedBatch.Of(batch.Records());
        Assert.Equal(encoded.Rows.ToArray(), batch.Rows.ToArray());
    }

    [Fact]
    public void TryRead_PastItsRoom_RefusesInsteadOfWritingIntoTheNextSlice()
    {
        var ends = new int[2];
        using var rows = new PooledBufferWriter(16);
        var reader = new IngestLineReader(ends, new ulong[2], 0, 1, rows);
        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(Lines[0]), out _));
        var written = rows.WrittenCount;

        var next = reader;
        Assert.Throws<InvalidOperationException>(() => next.TryRead(Encoding.UTF8.GetBytes(Lines[1]), out _));
        Assert.Equal(0, ends[1]);
        Assert.Equal(written, rows.WrittenCount);
    }

    [Fact]
    public void RecordIdHash_OfAscii_SameAsOfTheString()
    {
        var random = new Random(3);
        for (var n = 0; n < 10_000; n++)
        {
            var id = new string(Enumerable.Range(0, random.Next(0, 60)).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray());
            Assert.Equal(RecordIdHash.Of(id), RecordIdHash.OfAscii(Encoding.ASCII.GetBytes(id)));
        }
    }
}
