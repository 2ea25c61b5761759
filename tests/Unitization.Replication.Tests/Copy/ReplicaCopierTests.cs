using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Tests.Fakes;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Copy;

public sealed class ReplicaCopierTests : IDisposable
{
    private const string Partition = "/warehouse/sales.db/orders/dt=2026-11-23";
    private readonly TempDirectory _temp = new();
    private readonly InMemoryNamespace _dcA;
    private readonly InMemoryNamespace _dcB;
    private readonly InMemoryReplicaVersionStore _versions = new();
    private readonly RecordingBudget _budget = new();
    private readonly ReplicaCopier _copier;

    public ReplicaCopierTests()
    {
        _dcA = new InMemoryNamespace("dcA");
        _dcB = new InMemoryNamespace("dcB");
        _copier = new ReplicaCopier(_versions, _budget, null, new FakeTimeProvider(), NullLogger<ReplicaCopier>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private CopyRequest Request => new(_dcA, _dcB, Partition, "sales.orders", TrafficPriority.High, "/.unitization/staging/w0");

    private async Task WritePartitionAsync(int files, int seed)
    {
        for (var i = 0; i < files; i++)
        {
            await _dcA.WriteAsync($"{Partition}/part-{i:D5}", 3000 + (i * 1000), seed + i, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task ReplicateAsync_NewPartition_PublishesIdenticalFilesAndCommitRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        await WritePartitionAsync(3, seed: 1);
        var sourceTxId = _dcA.LastTxId;

        var outcome = await _copier.ReplicateAsync(Request, parallelism: 2, ct);

        Assert.Equal(CopyResult.Copied, outcome.Result);
        Assert.Equal(3, outcome.Files);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(
                _dcA.Read($"{Partition}/part-{i:D5}"),
                _dcB.Read($"{Partition}/part-{i:D5}"));
        }

        var version = await _versions.GetAsync("dcB", Partition, ct);
        Assert.Equal(sourceTxId, version!.SourceTxId);
        Assert.Empty(_dcB.PathsUnder("/.unitization/staging/w0"));
        Assert.Equal(outcome.Bytes, _budget.Requests.Sum(r => r.Bytes));
        Assert.All(_budget.Requests, r => Assert.Equal((new LinkId("dcA", "dcB"), TrafficPriority.High, "sales.orders"), (r.Link, r.Priority, r.Tenant)));
    }

    [Fact]
    public async Task ReplicateAsync_Replayed_SkipsWithoutTouchingTheReplica()
    {
        var ct = TestContext.Current.CancellationToken;
        await WritePartitionAsync(2, seed: 5);
        await _copier.ReplicateAsync(Request, 1, ct);
        var targetTxId = _dcB.LastTxId;

        var again = await _copier.ReplicateAsync(Request, 1, ct);

        Assert.Equal(CopyResult.AlreadyFresh, again.Result);
        Assert.Equal(targetTxId, _dcB.LastTxId);
    }

    [Fact]
    public async Task ReplicateAsync_FailsMidCopy_LeavesNoReplicaThenCompletesOnRetry()
    {
        var ct = TestContext.Current.CancellationToken;
        await WritePartitionAsync(4, seed: 9);
        _dcB.FailWritesAfter = 2;

        await Assert.ThrowsAsync<IOException>(() => _copier.ReplicateAsync(Request, 1, ct));

        Assert.Null(await _dcB.GetStatusAsync(Partition, ct));
        Assert.Null(await _versions.GetAsync("dcB", Partition, ct));

        _dcB.FailWritesAfter = null;
        var outcome = await _copier.ReplicateAsync(Request, 1, ct);
        Assert.Equal(CopyResult.Copied, outcome.Result);
        Assert.Equal(4, _dcB.PathsUnder(Partition).Count);
    }

    [Fact]
    public async Task ReplicateAsync_SourceRewritten_ReplacesReplicaAndRaisesVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await WritePartitionAsync(2, seed: 1);
        var first = await _copier.ReplicateAsync(Request, 1, ct);
        await _dcA.DeleteAsync(Partition + "/part-00001", recursive: false, ct);
        await _dcA.WriteAsync(Partition + "/part-00000", 10_000, 77, ct);

        var second = await _copier.ReplicateAsync(Request, 1, ct);

        Assert.Equal(CopyResult.Copied, second.Result);
        Assert.True(second.Version > first.Version);
        var files = _dcB.PathsUnder(Partition);
        Assert.Equal(InMemoryNamespace.Content(10_000, 77), _dcB.Read(Assert.Single(files)));
    }

    [Fact]
    public async Task ReplicateAsync_TargetStoresOtherBytes_FailsVerificationAndPublishesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await WritePartitionAsync(2, seed: 4);
        _dcB.CorruptStoredBytes = true;

        var error = await Assert.ThrowsAsync<CopyVerificationException>(() => _copier.ReplicateAsync(Request, 1, ct));

        Assert.Contains("reads back as XXH128", error.Message, StringComparison.Ordinal);
        Assert.Contains("dcB:/.unitization/staging/w0/", error.Message, StringComparison.Ordinal);
        Assert.Matches("XXH128 [0-9a-f]{32} \\(3000 bytes\\) but dcA:.*part-00000 read as [0-9a-f]{32} \\(3000 bytes\\)", error.Message);
        Assert.Null(await _dcB.GetStatusAsync(Partition, ct));
        Assert.Null(await _versions.GetAsync("dcB", Partition, ct));
        Assert.Empty(_dcB.PathsUnder("/.unitization/staging/w0"));

        _dcB.CorruptStoredBytes = false;
        Assert.Equal(CopyResult.Copied, (await _copier.ReplicateAsync(Request, 1, ct)).Result);
    }

    [Fact]
    public async Task ReplicateAsync_SourceMissing_ReportsIt()
    {
        var outcome = await _copier.ReplicateAsync(Request, 1, TestContext.Current.CancellationToken);
        Assert.Equal(CopyResult.SourceMissing, outcome.Result);
    }

    [Fact]
    public async Task DeleteReplicaAsync_Table_RemovesFilesAndEveryCommitRecordBelow()
    {
        var ct = TestContext.Current.CancellationToken;
        await WritePartitionAsync(1, seed: 3);
        await _copier.ReplicateAsync(Request, 1, ct);

        await _copier.DeleteReplicaAsync(_dcB, "/warehouse/sales.db/orders", "/.unitization/staging/w0", ct);

        Assert.Null(await _dcB.GetStatusAsync("/warehouse/sales.db/orders", ct));
        Assert.Empty(await _versions.ListAsync("dcB", "/", ct));
    }
}
