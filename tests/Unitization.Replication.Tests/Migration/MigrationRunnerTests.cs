using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Unitization.Replication.Copy;
using Unitization.Replication.Migration;
using Unitization.Replication.Tests.Fakes;
using Unitization.TestUtils;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Client;

namespace Unitization.Replication.Tests.Migration;

public sealed class MigrationRunnerTests : IDisposable
{
    private const string Table = "/warehouse/sales.db/orders";
    private const int MiB = 1 << 20;
    private readonly TempDirectory _temp = new();
    private readonly InMemoryNamespace _dcA;
    private readonly InMemoryNamespace _dcB;
    private readonly InMemoryReplicaVersionStore _versions = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ReplicationOptions _options = new();
    private readonly MigrationRunner _runner;

    public MigrationRunnerTests()
    {
        _dcA = new InMemoryNamespace("dcA");
        _dcB = new InMemoryNamespace("dcB");
        var copier = new ReplicaCopier(_versions, null, null, _time, NullLogger<ReplicaCopier>.Instance);
        _runner = new MigrationRunner(copier, _versions, _time, Options.Create(_options), NullLogger<MigrationRunner>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private static MigrationSpec Spec => new("dcA", Table, "dcB", 1, null);

    private string Checkpoints => _temp.Combine("ckpt");

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
            if (p.Progress.FilesDone == 2)
            {
                kill.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, killed, kill.Token));
        Assert.Null(await _dcB.GetStatusAsync(Table, ct));

        // after the snapshot: one file rewritten, one added, one deleted
        await _dcA.WriteAsync($"{Table}/dt=1/part-0", 5_000, 100, ct);
        await _dcA.WriteAsync($"{Table}/dt=2/part-0", 7_000, 200, ct);
        await _dcA.DeleteAsync($"{Table}/dt=1/part-5", recursive: false, ct);

        var result = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, null, ct);

        Assert.Equal(MigrationPhase.Done, result.Phase);
        Assert.Equal(_dcA.LastTxId.Value, result.VersionTxId);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        Assert.Equal(_dcA.LastTxId, (await _versions.GetAsync("dcB", Table, ct))!.SourceTxId);
        Assert.False(Directory.Exists(_temp.Combine("ckpt", Spec.Id)));
    }

    /// <summary>Issue 16 case 9: "Progress stays at 0 % and 0 bytes/s until a whole file is copied".</summary>
    [Fact]
    public async Task RunAsync_OneFileOfSeveralChunks_ProgressCountsBytesBeforeTheFileCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        await _dcA.WriteAsync($"{Table}/dt=1/part-0", (5 * MiB) + 123, 1, ct);
        var seen = new List<CopyProgress>();
        var progress = new SyncProgress<MigrationProgress>(p =>
        {
            if (p.Phase == MigrationPhase.Copying)
            {
                seen.Add(p.Progress);
            }
        });

        await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, progress, ct);

        var midFile = seen.Where(p => p.FilesDone == 0 && p.BytesDone > 0 && p.BytesDone < p.BytesTotal).ToList();
        Assert.True(midFile.Count >= 4, $"only {midFile.Count} reports with bytes before the file completed");
        Assert.All(midFile, p => Assert.True(p.BytesPerSecond > 0));
        Assert.Equal(midFile.Select(p => p.BytesDone).Order(), midFile.Select(p => p.BytesDone));
    }

    /// <summary>Issue 16 case 9: "right after a resume it showed 886 MiB/s under a 30 MB/s cap".</summary>
    [Fact]
    public async Task RunAsync_ResumedUnderACap_RateCountsOnlyCopiedBytesAndStaysWithinTheCap()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 8; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", 2 * MiB, i, ct);
        }

        using var kill = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var killed = new SyncProgress<MigrationProgress>(p =>
        {
            if (p.Progress.FilesDone == 4)
            {
                kill.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, killed, kill.Token));

        const double Cap = 30_000_000;
        var seen = new List<CopyProgress>();
        var progress = new SyncProgress<MigrationProgress>(p =>
        {
            if (p.Phase == MigrationPhase.Copying)
            {
                lock (seen)
                {
                    seen.Add(p.Progress);
                }
            }
        });
        var budget = MigrationRunner.BudgetFor(Spec with { BytesPerSecond = (long)Cap }, null, _time);
        await _time.DriveAsync(_runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", budget, progress, ct), TimeSpan.FromMilliseconds(5));

        // right after the resume: the 4 files found done count as done, not as speed
        Assert.Equal(8L * MiB, seen[0].BytesDone);
        Assert.Equal(0, seen[0].BytesCopied);
        Assert.Equal(0, seen[0].BytesPerSecond);
        Assert.Equal(8L * MiB, seen[^1].BytesCopied);
        Assert.All(seen, p => Assert.InRange(p.BytesPerSecond, 0, Cap * 1.1));
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
    }

    /// <summary>Issue 16 case 8: the cap is inside the link's budget: every byte is still paid to the link, at Low unless named.</summary>
    [Theory]
    [InlineData(null, TrafficPriority.Low)]
    [InlineData(TrafficPriority.High, TrafficPriority.High)]
    public async Task RunAsync_WithACap_PaysEveryByteToTheLinkBudgetAtItsPriority(TrafficPriority? named, TrafficPriority expected)
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", MiB + i, i, ct);
        }

        var link = new RecordingBudget();
        var spec = Spec with { BytesPerSecond = 1_000_000_000_000, Priority = named ?? TrafficPriority.Low };
        await _runner.RunAsync(spec, _dcA, _dcB, Checkpoints, "/.unitization", MigrationRunner.BudgetFor(spec, link, _time), null, ct);

        Assert.Equal((3 * MiB) + 3, link.Requests.Sum(r => r.Bytes));
        Assert.All(link.Requests, r => Assert.Equal((new LinkId("dcA", "dcB"), expected), (r.Link, r.Priority)));
    }

    /// <summary>Issue 16 case 9: "re-running a finished migration copies all 300 MB again".</summary>
    [Fact]
    public async Task RunAsync_TargetAlreadyHoldsTheSnapshot_SaysSoAndCopiesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt={i}/part-0", 50_000, i, ct);
        }

        var first = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, null, ct);
        var budget = new RecordingBudget();

        var again = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", budget, null, ct);

        Assert.Equal(MigrationPhase.Done, again.Phase);
        Assert.Contains("already holds the snapshot", again.Note, StringComparison.Ordinal);
        Assert.Empty(budget.Requests);
        Assert.Equal(0, again.Progress.BytesCopied);
        Assert.Equal(first.Progress.BytesTotal, again.Progress.BytesDone);
        Assert.False(Directory.Exists(_temp.Combine("ckpt", Spec.Id)));

        // one byte different in the target: not the snapshot, so it is copied again
        await _dcB.WriteAsync($"{Table}/dt=1/part-0", 50_000, 99, ct);
        var third = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", budget, null, ct);
        Assert.Null(third.Note);
        Assert.Equal(3 * 50_000, budget.Requests.Sum(r => r.Bytes));
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
    }

    /// <summary>Issue 16 case 9: "an interrupted 50 MiB file restarts from zero".</summary>
    [Fact]
    public async Task RunAsync_BigFileInterruptedMidway_ResumesFromTheLastVerifiedChunkAndIsIdentical()
    {
        var ct = TestContext.Current.CancellationToken;
        _options.MigrationChunkSize = 4 * MiB;
        const int Size = 50 * MiB;
        await _dcA.WriteAsync($"{Table}/dt=1/big", Size, 7, ct);
        await _dcA.WriteAsync($"{Table}/dt=1/small", 1000, 8, ct);

        using var kill = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var killed = new SyncProgress<MigrationProgress>(p =>
        {
            if (p.Progress.BytesDone >= 22 * MiB)
            {
                kill.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Spec with { Parallel = 2 }, _dcA, _dcB, Checkpoints, "/.unitization", null, killed, kill.Token));
        var kept = MigrationRunner.DescribeKept(Spec, Checkpoints, _options.MigrationChunkSize);
        Assert.InRange(kept.ChunkBytesKept, 4 * MiB, Size - (4 * MiB));

        var budget = new RecordingBudget();
        var first = default(CopyProgress);
        var progress = new SyncProgress<MigrationProgress>(p => first ??= p.Phase == MigrationPhase.Copying ? p.Progress : null);
        var result = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", budget, progress, ct);

        Assert.Equal(MigrationPhase.Done, result.Phase);
        // resumed from a chunk > 0: the verified chunks were neither paid for nor copied again
        Assert.NotNull(first);
        Assert.Equal(kept.BytesKept, first.BytesDone);
        Assert.Equal(Size + 1000 - kept.BytesKept, budget.Requests.Sum(r => r.Bytes));
        Assert.Equal(Size + 1000 - kept.BytesKept, result.Progress.BytesCopied);
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));
        Assert.Null(await _dcB.GetStatusAsync(MigrationRunner.StagingPath("/.unitization", Spec) + ".parts", ct));
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
            if (p.Phase == MigrationPhase.Copying && p.Progress.FilesDone == 2 && !exchanged)
            {
                // an INSERT OVERWRITE on the source, published by exchange, while the migration copies
                exchanged = true;
                _dcA.ExchangeAsync("/incoming/dt=1", $"{Table}/dt=1", ct).GetAwaiter().GetResult();
            }
        });

        var result = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, progress, ct);

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
            await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, null, ct);
            await _dcA.DeleteAsync($"{Table}/dt=0", recursive: true, ct);
        }

        for (var i = 0; i < 3; i++)
        {
            await _dcA.WriteAsync($"{Table}/dt=1/part-{i}", 20_000, i, ct);
        }

        _versions.FailNextRecord = new OperationCanceledException("killed after the publish");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, null, ct));
        Assert.Equal(await ChecksumsAsync(_dcA), await ChecksumsAsync(_dcB));

        var result = await _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, null, ct);

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

        var error = await Assert.ThrowsAsync<CopyVerificationException>(() => _runner.RunAsync(Spec, _dcA, _dcB, Checkpoints, "/.unitization", null, null, ct));

        Assert.False(error.SourceChanged);
        Assert.Null(await _dcB.GetStatusAsync(Table, ct));
        Assert.Null(await _versions.GetAsync("dcB", Table, ct));
    }

    [Theory]
    [InlineData("200MB/s", 200_000_000)]
    [InlineData("1.5GiB/s", 1_610_612_736)]
    [InlineData("500000", 500_000)]
    [InlineData("64KiB", 65_536)]
    [InlineData("1B/s", 1)]
    [InlineData("1TB/s", 1_000_000_000_000)]
    public void ParseRate_Units_AreBytesPerSecond(string text, long expected) => Assert.Equal(expected, MigrationSpec.ParseRate(text));

    [Theory]
    [InlineData("fast")]
    [InlineData("-5MB/s")]
    [InlineData("1e-7")]
    [InlineData("5e-324")]
    [InlineData("0.5B/s")]
    [InlineData("2TB/s")]
    [InlineData("1e400")]
    [InlineData("NaN")]
    public void ParseRate_NonsenseOrOutOfRange_SaysWhatIsWrong(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => MigrationSpec.ParseRate(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("low", TrafficPriority.Low)]
    [InlineData("High", TrafficPriority.High)]
    public void ParsePriority_Names_AnyCase(string text, TrafficPriority expected) => Assert.Equal(expected, MigrationSpec.ParsePriority(text));

    [Theory]
    [InlineData("urgent")]
    [InlineData("7")]
    [InlineData("")]
    public void ParsePriority_Unknown_NamesTheChoices(string text) =>
        Assert.Contains("Low, Normal, High", Assert.Throws<FormatException>(() => MigrationSpec.ParsePriority(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void ParseSource_WithoutDatacenter_ShowsTheExpectedForm() =>
        Assert.Contains("DATACENTER:/absolute/path", Assert.Throws<FormatException>(() => MigrationSpec.ParseSource("/warehouse/t")).Message, StringComparison.Ordinal);

    private static Task<List<(string, string)>> ChecksumsAsync(InMemoryNamespace ns) => ChecksumsAsync(ns, Table);

    /// <summary>Each file under <paramref name="root"/> with its checksum, in path order.</summary>
    internal static async Task<List<(string, string)>> ChecksumsAsync(InMemoryNamespace ns, string root)
    {
        var tree = await NamespaceTree.ListAsync(ns, root, TestContext.Current.CancellationToken);
        var result = new List<(string, string)>();
        foreach (var file in tree!.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            result.Add((file.Path, (await ns.GetChecksumAsync(file.Path, TestContext.Current.CancellationToken)).Hex));
        }

        return result;
    }
}
