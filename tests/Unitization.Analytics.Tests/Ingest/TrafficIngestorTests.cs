using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Traffic;
using Unitization.TestUtils;

namespace Unitization.Analytics.Tests.Ingest;

public sealed class TrafficIngestorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _folder = new("analytics-ingestor");
    private readonly RecordingTrafficTable _table = new();
    private readonly IngestStatus _status = new();

    private TrafficIngestor NewIngestor() => new(
        _table, new TrafficSpool(_folder.Combine("spool")), new DedupeFilter(TimeSpan.FromHours(24)), _status, _time, NullLogger.Instance, TimeSpan.FromSeconds(1));

    private List<TrafficRecord> Records(string prefix, int n, TimeSpan age = default) =>
        [.. Enumerable.Range(0, n).Select(i => new TrafficRecord($"{prefix}{i}", "job" + (i % 3), "dcA", "dcB", 100 + i, "read", "router", _time.GetUtcNow() - age))];

    [Fact]
    public async Task StoreAsync_BatchThenReplay_StoresEachRecordOnce()
    {
        var ingestor = NewIngestor();
        var batch = Records("r", 10);
        await ingestor.StoreAsync(batch, CancellationToken.None);
        await ingestor.StoreAsync([.. batch, .. batch.Take(3)], CancellationToken.None);

        Assert.Equal(10, _table.Rows.Count);
        Assert.Equal(13, _status.Duplicates);
    }

    [Fact]
    public async Task StoreAsync_EncodedBatch_SentAsItIsUnlessDuplicatesWereDropped()
    {
        var ingestor = NewIngestor();
        var batch = Records("e", 5);
        var encoded = new byte[] { 1, 2, 3 };
        await ingestor.StoreAsync(batch, encoded, CancellationToken.None);
        Assert.Equal(1, _table.EncodedInserts);
        Assert.Equal(3, _table.LastEncodedBytes);

        // the same batch again plus one new record: the duplicates are dropped, so the encoded bytes no longer match
        await ingestor.StoreAsync([.. batch, .. Records("f", 1)], encoded, CancellationToken.None);
        Assert.Equal(1, _table.EncodedInserts);
        Assert.Equal(6, _table.Rows.Count);
        Assert.Equal(2, _table.Inserts);
    }

    [Fact]
    public async Task StoreAsync_ReplayAfterRestart_FilterReloadedFromStore()
    {
        var batch = Records("r", 10);
        await NewIngestor().StoreAsync(batch, CancellationToken.None);

        await NewIngestor().StoreAsync(batch, CancellationToken.None); // a new process: its filter starts stale

        Assert.Equal(10, _table.Rows.Count);
    }

    [Fact]
    public async Task StoreAsync_ClickHouseDown_SpoolsThenDrainsInOrderExactly()
    {
        var ingestor = NewIngestor();
        var (a, b, c) = (Records("a", 5), Records("b", 5), Records("c", 5));
        _table.Down = true;
        await ingestor.StoreAsync(a, CancellationToken.None);
        await ingestor.StoreAsync(b, CancellationToken.None);
        Assert.Empty(_table.Rows);
        Assert.Equal(10, _status.Spooled);
        Assert.Equal(2, _status.PendingSpoolFiles);

        _table.Down = false;
        await ingestor.StoreAsync(c, CancellationToken.None); // spooled behind the older batches
        Assert.False(await ingestor.DrainSpoolAsync(CancellationToken.None)); // not due yet
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await ingestor.DrainSpoolAsync(CancellationToken.None));

        Assert.Equal([.. a, .. b, .. c], _table.Rows);
        Assert.Equal(0, _status.PendingSpoolFiles);
    }

    [Fact]
    public async Task DrainSpoolAsync_InsertLandedButAnswerLost_NotWrittenTwice()
    {
        var ingestor = NewIngestor();
        _table.LoseNextAnswer = true;
        await ingestor.StoreAsync(Records("a", 5), CancellationToken.None);
        Assert.Equal(5, _table.Rows.Count);
        Assert.Equal(1, _status.PendingSpoolFiles);

        Assert.True(await ingestor.DrainSpoolAsync(CancellationToken.None, force: true));

        Assert.Equal(5, _table.Rows.Count);
    }

    [Fact]
    public async Task Constructor_SpoolLeftByCrashedProcess_DrainedAndItsRecordsDeduped()
    {
        _table.Down = true;
        var batch = Records("a", 5);
        await NewIngestor().StoreAsync(batch, CancellationToken.None);
        _table.Down = false;

        var restarted = NewIngestor();
        await restarted.StoreAsync(batch, CancellationToken.None); // Kafka replays the uncommitted batch
        Assert.True(await restarted.DrainSpoolAsync(CancellationToken.None, force: true));

        Assert.Equal(batch, _table.Rows);
    }

    [Fact]
    public async Task StoreAsync_RecordOlderThanWindow_CheckedAgainstStore()
    {
        var ingestor = NewIngestor();
        var old = Records("old", 3, TimeSpan.FromDays(3));
        await ingestor.StoreAsync(old, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var again = NewIngestor();
        await again.StoreAsync(old, CancellationToken.None);

        Assert.Equal(3, _table.Rows.Count);
    }

    [Fact]
    public async Task DeduplicateAsync_BatchNeverStoredThenConsumedAgain_StoredAfterTheFilterIsRebuilt()
    {
        var ingestor = NewIngestor();
        var stored = Records("s", 4);
        await ingestor.StoreAsync(stored, CancellationToken.None);

        // the dedupe stage let this batch through, then the ingest failed before the storer inserted it
        var lost = Records("l", 3);
        var fresh = await ingestor.DeduplicateAsync(lost, null, CancellationToken.None);
        Assert.Equal(lost, fresh.Records);

        // the restarted consumer is assigned its partitions again and consumes both batches again
        ingestor.PartitionsAssigned();
        var replay = await ingestor.DeduplicateAsync([.. stored, .. lost], null, CancellationToken.None);
        await ingestor.StoreFreshAsync(replay, default, CancellationToken.None);

        Assert.Equal([.. stored, .. lost], _table.Rows);
        Assert.False(replay.Whole);
    }

    [Fact]
    public async Task DeduplicateAsync_PrecomputedIdHashes_SameAnswerAsHashingHere()
    {
        var ingestor = NewIngestor();
        var batch = Records("h", 6);
        await ingestor.StoreAsync(batch.Take(2).ToList(), CancellationToken.None);

        var fresh = await ingestor.DeduplicateAsync(batch, [.. batch.Select(r => RecordIdHash.Of(r.Id))], CancellationToken.None);

        Assert.Equal(batch.Skip(2), fresh.Records);
        Assert.False(fresh.Whole);
        Assert.Equal(2, _status.Duplicates);
    }

    public void Dispose() => _folder.Dispose();
}
