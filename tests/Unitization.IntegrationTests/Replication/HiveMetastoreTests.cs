using System.Text;
using Unitization.Replication.Metastore;
using Unitization.SampleHms;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>
/// The pipeline against the metastore as Hive writes it: Hive 4 (no get_table) with gzip(json-2.0) messages by
/// default, one run on Hive 3 with json-0.2, ACID transactions, partitioned tables moved, partitions at custom
/// locations, and the pump's server-side filters.
/// </summary>
public sealed class HiveMetastoreTests
{
    private const string Db = ReplicationStack.Db;
    private const string Table = ReplicationStack.Table;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pipeline_Hive3JsonMessages_PartitionsAndInsertsReplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(SampleHmsVersion.Hive3, HiveMessageFormat.Json, null, ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var path = await workload.AddPartitionAsync(Db, Table, "2026-10-01", files: 2, bytesPerFile: 20_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(path), "ADD_PARTITION (json-0.2) was not replicated");
        await workload.InsertAsync(Db, Table, "2026-10-01", bytes: 3_000, seed: 7, ct);
        Assert.True(await stack.ReplicaFreshAsync(path), "INSERT (json-0.2) was not replicated");
        Assert.Equal(HiveMessageFormat.Json, stack.Catalog.EventsAfter(0, 1)[0].MessageFormat);
    }

    [Fact]
    public async Task Pipeline_PartitionedTableMoved_PartitionsFollowAndOldReplicaGoes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var old = await stack.ReplicatedPartitionAsync(Db, Table, "2026-10-02", bytes: 10_000, ct);

        // a schema change alone moves no file; then a rename of the managed table moves its directory
        await stack.Catalog.AlterTableAsync(Db, Table, null, "comment", ct);
        var moved = "/warehouse/sales/orders_v2";
        await stack.Primary.RenameAsync(SampleWorkload.TablePath(Db, Table), moved, ct);
        await stack.Catalog.AlterTableAsync(Db, Table, $"hdfs://dcA{moved}", null, movePartitions: true, ct);

        Assert.True(await stack.ReplicaFreshAsync(moved + "/dt=2026-10-02"), "the moved partition was not replicated at its new location");
        Assert.True(
            await Eventually.TrueAsync(async () => await stack.Replica.GetStatusAsync(SampleWorkload.TablePath(Db, Table), ct) is null, Deadline, ct),
            "the replica of the old table location was not deleted");
    }

    [Fact]
    public async Task Pipeline_DropPartitionAtCustomLocation_DeletesThatReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        const string custom = "/warehouse/external/orders_2026_10_03";
        await workload.AddPartitionAtAsync(Db, Table, "2026-10-03", custom, files: 2, bytesPerFile: 5_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(custom), "the partition at a custom location was not replicated");

        await workload.DropPartitionAtAsync(Db, Table, "2026-10-03", custom, ct);

        Assert.True(await Eventually.TrueAsync(async () => await stack.Replica.GetStatusAsync(custom, ct) is null, Deadline, ct),
            "DROP_PARTITION did not delete the replica at the partition's custom location");
    }

    [Fact]
    public async Task Pipeline_AcidWrites_ReplicatedAtCommitAbortedOnesDropped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        var partition = await stack.ReplicatedPartitionAsync(Db, Table, "2026-10-04", bytes: 1_000, ct);

        var aborted = await workload.AcidInsertAsync(Db, Table, "2026-10-04", bytes: 2_000, commit: false, ct);
        var committed = await workload.AcidInsertAsync(Db, Table, "2026-10-04", bytes: 3_000, commit: true, ct);

        Assert.True(await stack.ReplicaFreshAsync(partition), "the committed ACID write was not replicated");
        Assert.NotNull(await stack.Replica.GetStatusAsync(committed + "/bucket_00000", ct));
        Assert.Null(await stack.Replica.GetStatusAsync(aborted, ct));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(stack.Health.AcidPendingWrites == 0), Deadline, ct), "held ACID writes were not released");
        Assert.Equal(0, stack.Health.DeadLetters);
    }

    [Fact]
    public async Task Pipeline_AcidWriteAndCommitBetweenThePumpsTwoReads_StillReplicated()
    {
        // with ACID replication the pump reads the log twice (the ruled database's events, then COMMIT/ABORT_TXN, which
        // carry no database); a write and its commit appended between the two reads gave a batch with the commit alone,
        // and the checkpoint moved past the write: the committed data never reached dcB (seen once in CI, under load)
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var partition = await stack.ReplicatedPartitionAsync(Db, Table, "2026-10-06", bytes: 1_000, ct);

        var txn = stack.Catalog.OpenTransaction();
        var file = $"{partition}/delta_{txn:D7}_{txn:D7}_0000/bucket_00000";
        await stack.Primary.CreateAsync(file, (stream, c) => stream.WriteAsync(new byte[3_000], c).AsTask(), overwrite: false, ct);

        var appended = 0;
        stack.Catalog.Reading += request =>
        {
            var readsTxnEnds = request.__isset.eventTypeSkipList && request.EventTypeSkipList?.Contains(HiveEventType.AcidWrite) == true;
            if (readsTxnEnds && Interlocked.Exchange(ref appended, 1) == 0)
            {
                stack.Catalog.AcidWriteAsync(txn, Db, Table, ["2026-10-06"], [file], CancellationToken.None).GetAwaiter().GetResult();
                stack.Catalog.EndTransaction(txn, commit: true);
            }
        };

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref appended) == 1), Deadline, ct), "the pump never read the log for txn ends");
        Assert.True(await stack.ReplicaFreshAsync(partition), "the ACID write committed between the pump's two reads was not replicated");
        Assert.NotNull(await stack.Replica.GetStatusAsync(file, ct));
    }

    [Fact]
    public async Task Pipeline_AcidWritesRefusedByRule_DeadLetteredWithReasonAndCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(
            SampleHmsVersion.Hive4, HiveMessageFormat.GzipJson, new Dictionary<string, string?> { ["Replication:AcidTables"] = "Refuse" }, ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        await workload.AddPartitionAsync(Db, Table, "2026-10-05", files: 1, bytesPerFile: 1_000, ct);
        await workload.AcidInsertAsync(Db, Table, "2026-10-05", bytes: 2_000, commit: true, ct);

        var dead = Assert.Single(await stack.ReadDeadLettersAsync(1, Deadline));
        var reason = Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("unitization-dlq-reason"));
        Assert.Contains("Replication:AcidTables is Refuse", reason, StringComparison.Ordinal);
        Assert.Equal(1, stack.Health.AcidRefused);
        Assert.Contains("sales.orders", stack.Health.LastAcidRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pump_RulesInOneDatabase_PublishesOnlyRuledTablesEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, "unruled", ct);
        await workload.AddPartitionAsync(Db, "unruled", "2026-10-06", files: 1, bytesPerFile: 1_000, ct);
        await workload.CreateTableAsync(Db, Table, ct);
        var path = await workload.AddPartitionAsync(Db, Table, "2026-10-06", files: 1, bytesPerFile: 1_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(path));

        var published = await stack.ReadTopicAsync(stack.EventsTopic, 100, TimeSpan.FromSeconds(5));
        Assert.Equal(2, published.Count);
        Assert.All(published, r => Assert.Equal("sales.orders", r.Message.Key));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(stack.Health.LastPublishedEventId >= stack.Catalog.CurrentEventId), Deadline, ct),
            "the checkpoint did not move past the filtered-out events");
    }
}
