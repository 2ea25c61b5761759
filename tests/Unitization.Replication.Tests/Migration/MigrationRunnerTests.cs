using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Replication.Copy;
using Unitization.Replication.Migration;
using Unitization.Replication.Tests.Fakes;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils;

namespace Unitization.Replication.Tests.Migration;

public sealed class MigrationRunnerTests : IDisposable
{
    private const string Table = "/warehouse/sales.db/orders";
    private readonly TempDirectory _temp = new();
    private readonly InMemoryNamespace _dcA;
    private readonly InMemoryNamespace _dcB;
    private readonly InMemoryReplicaVersionStore _versions = new();
    private readonly MigrationRunner _runner;

    public MigrationRunnerTests()
    {
        _dcA = new InMemoryNamespace("dcA");
        _dcB = new InMemoryNamespace("dcB");
        var copier = new ReplicaCopier(_versions, null, null, new FakeTimeProvider(), NullLogger<ReplicaCopier>.Instance);
        _runner = new MigrationRunner(copier, _versions, new FakeTimeProvider(), NullLogger<MigrationRunner>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private static MigrationSpec Spec => new("dcA", Table, "dcB", 1, null);

    [Fact]
    public async Task RunAsync_KilledThenResumed_CopiesOnlyTheRestAndCatchesUpWithLaterEdits()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 6; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", 20_000, i, ct);
        }

        using var kill = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var killed = new SyncProgress<MigrationProgress>(p =>
        {
            if (p.FilesDone == 2)
            {
                kill.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, killed, kill.Token));
        Assert.Null(await _dcB.GetStatusAsync(Table, ct));

        // after the snapshot: one file rewritten, one added, one deleted
        await _dcA.WriteAsync($"{Table}/dt=1/part-0", 5_000, 100, ct);
        await _dcA.WriteAsync($"{Table}/dt=2/part-0", 7_000, 200, ct);
        await _dcA.DeleteAsync($"{Table}/dt=1/part-5", recursive: false, ct);
        var copiedOnResume = 0;
        var resumed = new SyncProgress<MigrationProgress>(p => copiedOnResume = p.Phase == MigrationPhase.Copying ? p.FilesDone : copiedOnResume);

        var result = await _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, resumed, ct);

        Assert.Equal(MigrationPhase.Done, result.Phase);
        Assert.Equal(_dcA.LastTxId.Value, result.VersionTxId);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        Assert.Equal(_dcA.LastTxId, (await _versions.GetAsync("dcB", Table, ct))!.SourceTxId);
        Assert.False(Directory.Exists(_temp.Combine("ckpt", Spec.Id)));
    }

    [Fact]
    public async Task RunAsync_PartitionExchangedAfterTheSnapshot_CatchUpRedoesItWithoutLeftovers()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("exchange needs Linux's renameat2");
        }

        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 4; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", 20_000, i, ct);
        }

        await _dcA.WriteAsync("/incoming/dt=1/new-0", 9_000, 50, ct);
        await _dcA.WriteAsync("/incoming/dt=1/sub/new-1", 8_000, 51, ct);
        var exchanged = false;
        var progress = new SyncProgress<MigrationProgress>(p =>
        {
            if (p.Phase == MigrationPhase.Copying && p.FilesDone == 2 && !exchanged)
            {
                // an INSERT OVERWRITE on the source, published by exchange, while the migration copies
                exchanged = true;
                _dcA.ExchangeAsync("/incoming/dt=1", $"{Table}/dt=1", ct).GetAwaiter().GetResult();
            }
        });

        var result = await _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, progress, ct);

        Assert.True(exchanged);
        Assert.Equal(MigrationPhase.Done, result.Phase);
        Assert.Equal(_dcA.LastTxId.Value, result.VersionTxId);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        Assert.Equal([$"{Table}/dt=1/new-0", $"{Table}/dt=1/sub/new-1"], (await ChecksumsAsync(_dcB)).Select(f => f.Item1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_KilledAfterThePublishBeforeItsVersion_ResumeKeepsTheNewReplica(bool replacing)
    {
        var ct = TestContext.Current.CancellationToken;
        if (replacing)
        {
            // an older replica of the table is there already: the publish exchanges it out into staging
            await _dcA.WriteAsync($"{Table}/dt=0/part-0", 3_000, 7, ct);
            await _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, null, ct);
            await _dcA.DeleteAsync($"{Table}/dt=0", recursive: true, ct);
        }

        for (var i = 0; i < 3; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", 20_000, i, ct);
        }

        _versions.FailNextRecord = new OperationCanceledException("killed after the publish");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, null, ct));
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));

        var result = await _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, null, ct);

        // resumed: the new replica stays (not the empty staging folder, nor the old replica swapped into it), and it has its version
        Assert.Equal(MigrationPhase.Done, result.Phase);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        Assert.Equal(_dcA.LastTxId, (await _versions.GetAsync("dcB", Table, ct))!.SourceTxId);
        Assert.Null(await _dcB.GetStatusAsync($"/.unitization/staging/migrate-{Spec.Id}", ct));
        Assert.False(Directory.Exists(_temp.Combine("ckpt", Spec.Id)));
    }

    [Fact]
    public async Task RunAsync_TargetStoresOtherBytes_FailsAndPublishesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await _dcA.WriteAsync($"{Table}/dt=1/part-0", 20_000, 1, ct);
        _dcB.CorruptStoredBytes = true;

        var error = await Assert.ThrowsAsync<CopyVerificationException>(() => _runner.RunAsync(Spec, _dcA, _dcB, _temp.Combine("ckpt"), "/.unitization", null, null, ct));

        Assert.False(error.SourceChanged);
        Assert.Null(await _dcB.GetStatusAsync(Table, ct));
        Assert.Null(await _versions.GetAsync("dcB", Table, ct));
    }

    [Theory]
    [InlineData("200MB/s", 200_000_000)]
    [InlineData("1.5GiB/s", 1_610_612_736)]
    [InlineData("500000", 500_000)]
    [InlineData("64KiB", 65_536)]
    public void ParseRate_Units_AreBytesPerSecond(string text, long expected) => Assert.Equal(expected, MigrationSpec.ParseRate(text));

    [Theory]
    [InlineData("fast")]
    [InlineData("-5MB/s")]
    public void ParseRate_Nonsense_SaysWhatIsWrong(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => MigrationSpec.ParseRate(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void ParseSource_WithoutDatacenter_ShowsTheExpectedForm() =>
        Assert.Contains("DATACENTER:/absolute/path", Assert.Throws<FormatException>(() => MigrationSpec.ParseSource("/warehouse/t")).Message, StringComparison.Ordinal);

    private async Task<List<(string, string)>> ChecksumsAsync(InMemoryNamespace ns)
    {
        var tree = await NamespaceTree.ListAsync(ns, Table, TestContext.Current.CancellationToken);
        var result = new List<(string, string)>();
        foreach (var file in tree!.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            result.Add((file.Path, (await ns.GetChecksumAsync(file.Path, TestContext.Current.CancellationToken)).Hex));
        }

        return result;
    }
}
