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
    public async Task StoreAsync_DuplicatesInsideTheBatch_InsertsExactlyTheOtherRowsInOrder()
    {
        var ingestor = NewIngestor();
        var first = Records("e", 5);
        await ingestor.StoreAsync(first, CancellationToken.None);

        // the duplicates are dropped from the encoded rows in place: what is sent is exactly the new records' rows
        var (x, y) = (Records("x", 2), Records("y", 1));
        await ingestor.StoreAsync([first[0], .. x, first[3], first[4], .. y, first[0]], CancellationToken.None);

        Assert.Equal([.. first, .. x, .. y], _table.Rows);
        using var expected = EncodedBatch.Of([.. x, .. y]);
        Assert.Equal(expected.Rows.ToArray(), _table.LastInsert);
        Assert.Equal(4, _status.Duplicates);
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
        using var first = EncodedBatch.Of(lost);
        var fresh = await ingestor.DeduplicateAsync(first, CancellationToken.None);
        Assert.Equal(lost, fresh.Batch.Records());

        // the restarted consumer is assigned its partitions again and consumes both batches again
        ingestor.PartitionsAssigned();
        using var again = EncodedBatch.Of([.. stored, .. lost]);
        var replay = await ingestor.DeduplicateAsync(again, CancellationToken.None);
        await ingestor.StoreFreshAsync(replay, CancellationToken.None);

        Assert.Equal([.. stored, .. lost], _table.Rows);
    }

    [Fact]
    public async Task DeduplicateAsync_SomeSeenBefore_DropsThemFromTheRowsAndKeepsHashesAligned()
    {
        var ingestor = NewIngestor();
        var batch = Records("h", 6);
        await ingestor.StoreAsync([batch[1], batch[4]], CancellationToken.None);

        using var encoded = EncodedBatch.Of(batch);
        var fresh = await ingestor.DeduplicateAsync(encoded, CancellationToken.None);

        Assert.Equal([batch[0], batch[2], batch[3], batch[5]], fresh.Batch.Records());
        Assert.Equal([.. new[] { 0, 2, 3, 5 }.Select(i => RecordIdHash.Of(batch[i].Id))], Enumerable.Range(0, fresh.Batch.Count).Select(fresh.Batch.IdHash));
        Assert.Equal(2, _status.Duplicates);
    }

    public void Dispose() => _folder.Dispose();
}
