using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.IntegrationTests.Kafka;
using Unitization.Replication.Metastore;
using Unitization.SampleHms;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.Replication;

/// <summary>HMS events through Kafka to replicas, with the real sample HMS, dev broker and local namespaces.</summary>
[Collection(BrokerFaults.Name)]
public sealed class ReplicationPipelineTests
{
    private const string Db = ReplicationStack.Db;
    private const string Table = ReplicationStack.Table;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pipeline_PartitionLifecycle_ReplicasFollowThePrimary()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var paths = new List<string>();
        for (var d = 1; d <= 3; d++)
        {
            paths.Add(await workload.AddPartitionAsync(Db, Table, $"2026-11-0{d}", files: 2, bytesPerFile: 50_000, ct));
        }

        foreach (var path in paths)
        {
            Assert.True(await stack.ReplicaFreshAsync(path), $"{path} was not replicated to dcB");
            await AssertSameFilesAsync(stack, path);
        }

        await workload.InsertAsync(Db, Table, "2026-11-01", bytes: 7_000, seed: 42, ct);
        Assert.True(await stack.ReplicaFreshAsync(paths[0]), "INSERT was not replicated");
        await AssertSameFilesAsync(stack, paths[0]);

        await workload.DropPartitionAsync(Db, Table, "2026-11-02", ct);
        Assert.True(await Eventually.TrueAsync(async () => await stack.Replica.GetStatusAsync(paths[1], ct) is null, Deadline, ct), "DROP_PARTITION did not delete the replica");
        Assert.Null(await stack.Versions.GetAsync("dcB", paths[1], ct));

        await workload.DropTableAsync(Db, Table, ct);
        Assert.True(await Eventually.TrueAsync(async () => await stack.Replica.GetStatusAsync(SampleWorkload.TablePath(Db, Table), ct) is null, Deadline, ct), "DROP_TABLE did not delete the replica");
    }

    [Fact]
    public async Task Pipeline_MalformedEvent_GoesToDeadLetterAndStreamContinues()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        stack.Catalog.AppendRaw(HiveEventType.AddPartition, Db, Table, "{\"db\":\"sales\",\"table\":\"orders\",\"partitionListJson\":[\"not thrift\"]");

        var after = await workload.AddPartitionAsync(Db, Table, "2026-11-05", files: 1, bytesPerFile: 10_000, ct);

        Assert.True(await stack.ReplicaFreshAsync(after), "the event after the poison one was not applied");
        var dead = Assert.Single(await stack.ReadDeadLettersAsync(1, Deadline));
        var reason = Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("unitization-dlq-reason"));
        Assert.Contains("not JSON", reason, StringComparison.Ordinal);
        Assert.Equal("sales.orders", dead.Message.Key);
    }

    [Fact]
    public async Task Pipeline_ReplicatorRestarted_DoesNotDuplicateAndCatchesUp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var first = await workload.AddPartitionAsync(Db, Table, "2026-11-10", files: 2, bytesPerFile: 20_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(first));
        var version = await stack.Versions.GetAsync("dcB", first, ct);

        await stack.StopReplicatorAsync();
        const string stale = "/.unitization/staging/worker-0/abandoned";
        await stack.Replica.CreateAsync(stale + "/half-written", (s, c) => s.WriteAsync(new byte[100], c).AsTask(), overwrite: false, ct);
        var second = await workload.AddPartitionAsync(Db, Table, "2026-11-11", files: 2, bytesPerFile: 20_000, ct);
        await stack.StartReplicatorAsync(ct);

        Assert.True(await stack.ReplicaFreshAsync(second), "the event published while the replicator was down was not applied");
        Assert.Equal(version, await stack.Versions.GetAsync("dcB", first, ct));
        Assert.Null(await stack.Replica.GetStatusAsync(stale, ct));
        await AssertSameFilesAsync(stack, second);
    }

    [Fact]
    public async Task Pipeline_EventsCleanedBeforeRead_GapIsReportedAndTableResynced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var first = await workload.AddPartitionAsync(Db, Table, "2026-11-20", files: 1, bytesPerFile: 5_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(first));

        await stack.StopReplicatorAsync();
        var missed = await workload.AddPartitionAsync(Db, Table, "2026-11-21", files: 1, bytesPerFile: 5_000, ct);
        stack.Catalog.CleanEventsUpTo(stack.Catalog.CurrentEventId);
        var next = await workload.AddPartitionAsync(Db, Table, "2026-11-22", files: 1, bytesPerFile: 5_000, ct);
        await stack.StartReplicatorAsync(ct);

        Assert.True(await stack.ReplicaFreshAsync(next));
        Assert.True(await Eventually.TrueAsync(async () => await stack.Replica.GetStatusAsync(missed, ct) is not null, Deadline, ct), "the table was not re-synced after the gap");
        Assert.NotNull(stack.Health.LastGapFrom);
    }

    [Fact]
    public async Task Pipeline_MetastoreUnreachable_BacksOffShowsHealthAndRecovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await ReplicationStack.StartAsync(ct);
        await stack.StopMetastoreAsync();

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(stack.Health.MetastoreError is not null), Deadline, ct), "HMS down was not visible in health");

        stack.RestartMetastore();
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var path = await workload.AddPartitionAsync(Db, Table, "2026-11-30", files: 1, bytesPerFile: 5_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(path), "replication did not resume after HMS came back");
        Assert.Null(stack.Health.MetastoreError);
    }

    [Fact]
    public async Task Pipeline_BrokersDownAndUp_NoEventLost()
    {
        var ct = TestContext.Current.CancellationToken;
        RequiredServer.Require(ReplicationStack.ControlUrl is not null, "The dev broker's control API (UNITIZATION_TEST_BROKER_DIR)", "infra/devbroker.sh start .run/broker --config infra/config/unitization.json; export UNITIZATION_TEST_BROKER_DIR=.run/broker");
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        var before = await workload.AddPartitionAsync(Db, Table, "2026-12-01", files: 1, bytesPerFile: 5_000, ct);
        Assert.True(await stack.ReplicaFreshAsync(before));

        var paths = new List<string>();
        await ReplicationStack.SetBrokersAsync(up: false, ct);
        try
        {
            for (var d = 2; d <= 6; d++)
            {
                paths.Add(await workload.AddPartitionAsync(Db, Table, $"2026-12-0{d}", files: 1, bytesPerFile: 5_000, ct));
            }

            await Eventually.TrueAsync(() => Task.FromResult(stack.Health.KafkaError is not null), TimeSpan.FromSeconds(5), ct);
        }
        finally
        {
            await ReplicationStack.SetBrokersAsync(up: true, ct);
        }

        foreach (var path in paths)
        {
            Assert.True(await stack.ReplicaFreshAsync(path), $"{path} was lost while the brokers were down");
        }
    }

    // issue 16, case 7: with every broker down for 25 s, /healthz said Healthy and kafkaError stayed null
    [Fact]
    public async Task Health_EveryBrokerDown_DegradedWithKafkaErrorWithin25Seconds_HealthyAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        RequiredServer.Require(ReplicationStack.ControlUrl is not null, "The dev broker's control API (UNITIZATION_TEST_BROKER_DIR)", "infra/devbroker.sh start .run/broker --config infra/config/unitization.json; export UNITIZATION_TEST_BROKER_DIR=.run/broker");
        await using var stack = await ReplicationStack.StartAsync(ct);
        var workload = stack.Workload;
        await workload.CreateTableAsync(Db, Table, ct);
        Assert.True(await stack.ReplicaFreshAsync(await workload.AddPartitionAsync(Db, Table, "2026-12-07", files: 1, bytesPerFile: 1_000, ct)));
        Assert.True(await Eventually.TrueAsync(async () => await HealthzAsync(stack) == "Healthy", Deadline, ct), "not healthy before the outage");

        await ReplicationStack.SetBrokersAsync(up: false, ct);
        string? kafkaError = null;
        try
        {
            var degraded = await Eventually.TrueAsync(
                async () =>
                {
                    kafkaError = (await stack.Http.GetFromJsonAsync<JsonElement>("/api/v1/replication/status", ct)).GetProperty("kafkaError").GetString();
                    return kafkaError is not null && await HealthzAsync(stack) == "Degraded";
                },
                TimeSpan.FromSeconds(25),
                ct);
            Assert.True(degraded, $"25 s with every broker down, and /healthz is {await HealthzAsync(stack)}, kafkaError {kafkaError ?? "null"}");
            var report = await stack.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
            Assert.Contains("Kafka", report.Entries["replicator"].Description, StringComparison.Ordinal);
        }
        finally
        {
            await ReplicationStack.SetBrokersAsync(up: true, ct);
        }

        Assert.True(await Eventually.TrueAsync(async () => await HealthzAsync(stack) == "Healthy", Deadline, ct), "not healthy again after the brokers came back");
        Assert.Null((await stack.Http.GetFromJsonAsync<JsonElement>("/api/v1/replication/status", ct)).GetProperty("kafkaError").GetString());
    }

    private static async Task<string> HealthzAsync(ReplicationStack stack)
    {
        using var response = await stack.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task AssertSameFilesAsync(ReplicationStack stack, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = new List<(string, string)>();
        await foreach (var entry in stack.Primary.ListAsync(path, ct))
        {
            source.Add((Path.GetFileName(entry.Path), (await stack.Primary.GetChecksumAsync(entry.Path, ct)).Hex));
        }

        var replica = new List<(string, string)>();
        await foreach (var entry in stack.Replica.ListAsync(path, ct))
        {
            replica.Add((Path.GetFileName(entry.Path), (await stack.Replica.GetChecksumAsync(entry.Path, ct)).Hex));
        }

        Assert.Equal(source, replica);
    }
}
