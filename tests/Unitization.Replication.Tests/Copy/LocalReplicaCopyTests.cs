using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces.Local;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Tests.Fakes;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Copy;

/// <summary>The copy between two local namespaces on this host: in the kernel, verified, paid for, durable before publish.</summary>
public sealed class LocalReplicaCopyTests : IDisposable
{
    private const string Partition = "/warehouse/sales.db/orders/dt=2026-11-23";
    private const string Staging = "/.unitization/staging/w0";
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LocalNamespace _dcA;
    private LocalNamespace _dcB;
    private readonly InMemoryReplicaVersionStore _versions = new();
    private readonly RecordingBudget _budget = new();

    public LocalReplicaCopyTests()
    {
        _dcA = new LocalNamespace("dcA", _temp.Combine("a"), _time);
        _dcB = new LocalNamespace("dcB", _temp.Combine("b"), _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _dcA.Dispose();
        _dcB.Dispose();
        _temp.Dispose();
    }

    private ReplicaCopier Copier(IBandwidthBudget budget, bool syncStagedData = true, bool dropCacheBehindWrites = false) =>
        new(_versions, budget, null, _time, NullLogger<ReplicaCopier>.Instance, syncStagedData, dropCacheBehindWrites);

    private static CopyRequest Request(INamespace source, INamespace target) =>
        new(source, target, Partition, "sales.orders", TrafficPriority.High, Staging);

    /// <summary>Files of 0 bytes to a few MB (several 1 MB chunks and a tail), with random content.</summary>
    private async Task<long[]> WritePartitionAsync()
    {
        long[] lengths = [0, 1, (1 << 20) - 1, 1 << 20, (3 << 20) + 12345];
        for (var i = 0; i < lengths.Length; i++)
        {
            var bytes = new byte[lengths[i]];
            new Random(i).NextBytes(bytes);
            await _dcA.CreateAsync($"{Partition}/part-{i:D5}", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), overwrite: false, Ct);
        }

        return lengths;
    }

    private string Physical(LocalNamespace ns, string path) => Path.Join(ns.Root, "files", path.TrimStart('/'));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReplicateAsync_LocalNamespaces_CopiesIdenticalBytesWithEqualChecksums(bool syncStagedData)
    {
        var lengths = await WritePartitionAsync();

        var outcome = await Copier(_budget, syncStagedData).ReplicateAsync(Request(_dcA, _dcB), parallelism: 3, Ct);

        Assert.Equal(CopyResult.Copied, outcome.Result);
        Assert.Equal(lengths.Sum(), outcome.Bytes);
        for (var i = 0; i < lengths.Length; i++)
        {
            var path = $"{Partition}/part-{i:D5}";
            Assert.Equal(await File.ReadAllBytesAsync(Physical(_dcA, path), Ct), await File.ReadAllBytesAsync(Physical(_dcB, path), Ct));
            Assert.Equal(await _dcA.GetChecksumAsync(path, Ct), await _dcB.GetChecksumAsync(path, Ct));
        }

        // the target logged each staged file's Create with the size and XXH128 of the source's bytes
        var creates = new List<Namespaces.Edits.EditRecord>();
        await foreach (var edit in _dcB.EditsSinceAsync(TxId.None, follow: false, Ct))
        {
            if (edit.Op == Namespaces.Edits.EditOp.Create)
            {
                creates.Add(edit);
            }
        }

        Assert.Equal(lengths.Length, creates.Count);
        foreach (var create in creates)
        {
            var name = create.Path[(create.Path.LastIndexOf('/') + 1)..];
            Assert.Equal((await _dcA.GetChecksumAsync($"{Partition}/{name}", Ct)).Hex, create.Checksum);
        }

        Assert.Equal(_dcA.LastTxId, (await _versions.GetAsync("dcB", Partition, Ct))!.SourceTxId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Physical(_dcB, Staging)));
    }

    [Fact]
    public async Task ReplicateAsync_DurableFileLongerThanTheDropLag_DropsPagesBehindAndCopiesEveryByte()
    {
        // long enough that the copy drops pages behind itself twice, with a tail that is not a whole chunk
        var bytes = new byte[(int)(5 * LocalFileCopy.DropBehindLag / 2) + 4321];
        new Random(7).NextBytes(bytes);
        const string path = Partition + "/part-big";
        await _dcA.CreateAsync(path, (s, ct) => s.WriteAsync(bytes, ct).AsTask(), overwrite: false, Ct);

        var outcome = await Copier(_budget, syncStagedData: true, dropCacheBehindWrites: true).ReplicateAsync(Request(_dcA, _dcB), parallelism: 2, Ct);

        Assert.Equal(CopyResult.Copied, outcome.Result);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Physical(_dcB, path), Ct));
        Assert.Equal(await _dcA.GetChecksumAsync(path, Ct), await _dcB.GetChecksumAsync(path, Ct));
    }

    [Fact]
    public async Task LocalFileCopy_HashingTheSource_HashesEveryByteOfEveryChunk()
    {
        // no logged checksum to compare with: the source is hashed as it is copied, chunk by chunk, and the file ends
        // inside a chunk
        var bytes = new byte[(2 << 20) + (3 * 131_072) + 17];
        new Random(11).NextBytes(bytes);
        var source = _temp.Combine("hash-source.bin");
        await File.WriteAllBytesAsync(source, bytes, Ct);
        using var input = File.OpenHandle(source);
        using var output = File.OpenHandle(_temp.Combine("hash-target.bin"), FileMode.CreateNew, FileAccess.ReadWrite);

        var (copied, hash) = await LocalFileCopy.CopyAsync(
            input, bytes.Length, output, readBack: null, startWriteback: false, dropBehind: false, hashSource: true, budget: null, new LinkId("dcA", "dcB"), TrafficPriority.Normal, "t", Ct);

        Assert.Equal(bytes.Length, copied);
        Assert.Equal(Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(bytes)), hash);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_temp.Combine("hash-target.bin"), Ct));
    }

    [Fact]
    public void DropBehind_WrittenRange_ReadsBackTheSameBytes()
    {
        // dropping waits for the range to reach the disk first: the bytes come back from the disk, not lost
        var file = _temp.Combine("drop.bin");
        var bytes = new byte[3 << 20];
        new Random(3).NextBytes(bytes);
        using (var handle = File.OpenHandle(file, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, bytes, 0);
            Writeback.DropBehind(handle, 0, bytes.Length);
            var read = new byte[bytes.Length];
            Assert.Equal(bytes.Length, RandomAccess.Read(handle, read, 0));
            Assert.Equal(bytes, read);
        }
    }

    [Fact]
    public async Task ReplicateAsync_LocalNamespaces_PaysForEveryByteInChunksBeforeCopyingThem()
    {
        var lengths = await WritePartitionAsync();

        await Copier(_budget).ReplicateAsync(Request(_dcA, _dcB), parallelism: 2, Ct);

        var requests = _budget.Requests.ToList();
        Assert.Equal(lengths.Sum(), requests.Sum(r => r.Bytes));
        Assert.All(requests, r => Assert.InRange(r.Bytes, 1, BudgetedCopy.ChunkSize));
        Assert.All(requests, r => Assert.Equal((new LinkId("dcA", "dcB"), TrafficPriority.High, "sales.orders"), (r.Link, r.Priority, r.Tenant)));
        Assert.Equal(lengths.Sum(l => (l + BudgetedCopy.ChunkSize - 1) / BudgetedCopy.ChunkSize), requests.Count);
    }

    [Fact]
    public async Task ReplicateAsync_RequestBudget_IsPaidInsteadOfTheCopiersBudget()
    {
        var lengths = await WritePartitionAsync();
        var migration = new RecordingBudget();

        await Copier(_budget).ReplicateAsync(Request(_dcA, _dcB) with { Budget = migration }, parallelism: 2, Ct);

        Assert.Empty(_budget.Requests);
        Assert.Equal(lengths.Sum(), migration.Requests.Sum(r => r.Bytes));
    }

    [Fact]
    public async Task ReplicateAsync_TargetWithoutLocalFiles_CopiesThroughStreams()
    {
        var lengths = await WritePartitionAsync();
        var source = new StreamOnlyNamespace(_dcA);
        var target = new StreamOnlyNamespace(_dcB);

        var outcome = await Copier(_budget).ReplicateAsync(Request(source, target), parallelism: 2, Ct);

        Assert.Equal(CopyResult.Copied, outcome.Result);
        Assert.Equal(lengths.Length, target.Creates);
        Assert.True(source.Reads >= lengths.Length);
        Assert.Equal(lengths.Sum(), _budget.Requests.Sum(r => r.Bytes));
        for (var i = 0; i < lengths.Length; i++)
        {
            var path = $"{Partition}/part-{i:D5}";
            Assert.Equal(await _dcA.GetChecksumAsync(path, Ct), await _dcB.GetChecksumAsync(path, Ct));
        }
    }

    [Fact]
    public async Task ReplicateAsync_OnlyOneSideLocal_CopiesThroughStreams()
    {
        await WritePartitionAsync();
        var source = new StreamOnlyNamespace(_dcA);

        await Copier(_budget).ReplicateAsync(Request(source, _dcB), parallelism: 2, Ct);

        Assert.True(source.Reads >= 5);
    }

    [Fact]
    public async Task ReplicateAsync_CancelledMidCopy_LeavesNoReplicaAndNothingStagedAfterRestart()
    {
        await WritePartitionAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelling = new CancellingBudget(cts, afterRequests: 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Copier(cancelling).ReplicateAsync(Request(_dcA, _dcB), parallelism: 2, cts.Token));

        Assert.Null(await _dcB.GetStatusAsync(Partition, Ct));
        Assert.Null(await _versions.GetAsync("dcB", Partition, Ct));

        // a restart of the target namespace empties tmp/; nothing of the copy is left anywhere in files/ either
        _dcB.Dispose();
        _dcB = new LocalNamespace("dcB", _temp.Combine("b"), _time);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(_dcB.Root, "tmp")));
        Assert.Empty(Directory.EnumerateFiles(Path.Join(_dcB.Root, "files"), "*", SearchOption.AllDirectories));

        var outcome = await Copier(_budget).ReplicateAsync(Request(_dcA, _dcB), parallelism: 2, Ct);
        Assert.Equal(CopyResult.Copied, outcome.Result);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public async Task CopyFileAsync_SourceLengthDiffersFromListing_FailsAsSourceChangedAndStagesNothing(int difference)
    {
        var lengths = await WritePartitionAsync();
        var path = $"{Partition}/part-00004";
        var listed = new NamespaceEntry(path, false, lengths[4] + difference, DateTimeOffset.UnixEpoch, TxId.None);

        var failure = await Assert.ThrowsAsync<CopyVerificationException>(() =>
            Copier(_budget).CopyFileAsync(Request(_dcA, _dcB), new LinkId("dcA", "dcB"), listed, Staging + "/part-00004", Ct));

        Assert.True(failure.SourceChanged);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(_dcB.Root, "tmp")));
    }

    [Fact]
    public async Task ReplicateAsync_SourceBytesDifferFromItsLoggedChecksum_FailsAndPublishesNothing()
    {
        var lengths = await WritePartitionAsync();
        // the bytes change on disk without an edit (outside the namespace, or rot): same length, so only the checksum tells
        var physical = Physical(_dcA, $"{Partition}/part-00004");
        var bytes = await File.ReadAllBytesAsync(physical, Ct);
        bytes[lengths[4] / 2] ^= 0xff;
        await File.WriteAllBytesAsync(physical, bytes, Ct);

        var failure = await Assert.ThrowsAsync<CopyVerificationException>(() => Copier(_budget, syncStagedData: false).ReplicateAsync(Request(_dcA, _dcB), parallelism: 2, Ct));

        Assert.Contains("changed outside the namespace or is corrupt", failure.Message, StringComparison.Ordinal);
        Assert.Null(await _dcB.GetStatusAsync(Partition, Ct));
        Assert.Null(await _versions.GetAsync("dcB", Partition, Ct));
    }

    /// <summary>Grants requests until the n-th, which cancels the copy, as a stop or a kill in the middle would.</summary>
    private sealed class CancellingBudget(CancellationTokenSource cts, int afterRequests) : IBandwidthBudget
    {
        private int _requests;

        public ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _requests) >= afterRequests)
            {
                cts.Cancel();
            }

            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.CompletedTask;
        }
    }
}
