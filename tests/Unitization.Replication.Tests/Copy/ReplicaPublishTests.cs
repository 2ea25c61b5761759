using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Tests.Fakes;
using Unitization.Replication.Versions;
using Unitization.TestUtils.Namespaces;
using Unitization.TestUtils.Replication;
using Unitization.TestUtils;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Copy;

/// <summary>How a verified copy becomes the replica: one rename the first time, one exchange when replacing one.</summary>
public sealed class ReplicaPublishTests : IDisposable
{
    private const string Partition = "/warehouse/sales.db/orders/dt=2026-11-23";
    private const string StagingFolder = "/.unitization/staging/w0";
    private readonly TempDirectory _temp = new();
    private readonly InMemoryNamespace _dcA;
    private readonly InMemoryNamespace _dcB;
    private readonly InMemoryReplicaVersionStore _versions = new();
    private readonly ReplicaCopier _copier;

    public ReplicaPublishTests()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("the atomic exchange needs Linux's renameat2");
        }

        _dcA = new InMemoryNamespace("dcA");
        _dcB = new InMemoryNamespace("dcB");
        _copier = new ReplicaCopier(_versions, null, null, new FakeTimeProvider(), NullLogger<ReplicaCopier>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReplicateAsync_ExistingReplica_ReplacedByOneExchangeThenStagingDeleted()
    {
        await WriteVersionAsync(1);
        await _copier.ReplicateAsync(Request(_dcB), 1, Ct);
        var before = _dcB.LastTxId;
        await WriteVersionAsync(2);

        await _copier.ReplicateAsync(Request(_dcB), 1, Ct);

        var edits = await _dcB.EditsSinceAsync(before, follow: false, Ct).ToListAsync(Ct);
        var exchange = Assert.Single(edits, e => e.Path == Partition || e.Destination == Partition);
        Assert.Equal(EditOp.Exchange, exchange.Op);
        Assert.StartsWith(StagingFolder + "/", exchange.Path, StringComparison.Ordinal);
        Assert.Equal(EditOp.Delete, edits[^1].Op);
        Assert.Equal(exchange.Path, edits[^1].Path);
        Assert.Equal("2", Encoding.UTF8.GetString(_dcB.Read(Partition + "/_SUCCESS")!));
        Assert.Empty(_dcB.PathsUnder(StagingFolder));
    }

    [Fact]
    public async Task ReplicateAsync_FirstReplica_OneRename()
    {
        await WriteVersionAsync(1);

        await _copier.ReplicateAsync(Request(_dcB), 1, Ct);

        var edits = await _dcB.EditsSinceAsync(TxId.None, follow: false, Ct).ToListAsync(Ct);
        var publish = Assert.Single(edits, e => e.Path == Partition || e.Destination == Partition);
        Assert.Equal(EditOp.Rename, publish.Op);
    }

    /// <summary>
    /// A namespace that cannot swap (HDFS): the replica's record is retracted first, so a reader through the routers
    /// (record present: the replica, else the primary) reads the primary while the old copy moves aside and the new one
    /// moves in, which happens only after the grace; checked after every change of the target namespace.
    /// </summary>
    [Fact]
    public async Task ReplicateAsync_NamespaceCannotExchange_RetractedForTheGraceThenTwoRenames()
    {
        var time = new FakeTimeProvider();
        var copier = new ReplicaCopier(_versions, null, null, time, NullLogger<ReplicaCopier>.Instance, replicaSwapGrace: TimeSpan.FromSeconds(5));
        var problems = new List<string>();
        var observed = new ObservedNamespace(_dcB, async () => problems.AddRange(await RoutedReadProblemsAsync()));
        await WriteVersionAsync(1);
        await copier.ReplicateAsync(Request(observed), 1, Ct);
        _dcB.CannotExchange = true;
        var before = _dcB.LastTxId;
        await WriteVersionAsync(2);

        var replicate = copier.ReplicateAsync(Request(observed), 1, Ct);
        for (var i = 0; i < 10_000 && !replicate.IsCompleted && await _versions.GetAsync("dcB", Partition, Ct) is not null; i++)
        {
            await Task.Delay(1, Ct);
        }

        Assert.Null(await _versions.GetAsync("dcB", Partition, Ct));
        Assert.Equal("1", Encoding.UTF8.GetString(_dcB.Read(Partition + "/_SUCCESS")!)); // nothing moved during the grace
        await time.DriveAsync(replicate, TimeSpan.FromSeconds(1)); // the grace's timer may start after the withdrawal is seen

        Assert.Empty(problems);
        var renames = (await _dcB.EditsSinceAsync(before, follow: false, Ct).ToListAsync(Ct)).Where(e => e.Op == EditOp.Rename).ToList();
        Assert.Equal([Partition, StagingFolder], renames.Select(e => e.Path == Partition ? e.Path : e.Path[..StagingFolder.Length]));
        Assert.Equal("2", Encoding.UTF8.GetString(_dcB.Read(Partition + "/_SUCCESS")!));
        Assert.NotNull(await _versions.GetAsync("dcB", Partition, Ct));
        Assert.Empty(_dcB.PathsUnder(StagingFolder));
    }

    /// <summary>
    /// A table replica's record (newer than the partition's own) covers the partition being replaced: it is withdrawn
    /// for the swap too, else a router would keep sending readers to the partition while it is missing, and written back
    /// after. Readers polling concurrently and after every change of the target, routed as the router routes (the
    /// nearest record at or above the path, fresh when not older than the primary's last change under it), never find
    /// the path missing or files of two versions.
    /// </summary>
    [Fact]
    public async Task ReplicateAsync_CannotExchangeUnderATableRecord_TableWithdrawnTooAndRestored()
    {
        const string Table = "/warehouse/sales.db/orders";
        var time = new FakeTimeProvider();
        var copier = new ReplicaCopier(_versions, null, null, time, NullLogger<ReplicaCopier>.Instance, replicaSwapGrace: TimeSpan.FromSeconds(5));
        var problems = new List<string>();
        var observed = new ObservedNamespace(_dcB, async () => problems.AddRange(await RoutedReadProblemsAsync()));
        await WriteVersionAsync(1);
        await copier.ReplicateAsync(Request(observed), 1, Ct);
        await WriteVersionAsync(2);
        var partitionChanged = _dcA.LastTxId;
        await copier.ReplicateAsync(Request(observed) with { Path = Table }, 1, Ct); // the table copy (a swap): its record is newer than the partition's
        Assert.True((await _versions.GetAsync("dcB", Table, Ct))!.SourceTxId >= partitionChanged);
        Assert.True((await _versions.GetAsync("dcB", Partition, Ct))!.SourceTxId < partitionChanged);
        _dcB.CannotExchange = true;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // the reader has polled once before the replication starts: on a loaded machine the pool may start it late
        var polling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(
            async () =>
            {
                var found = new List<string>();
                var polls = 0;
                for (; polls < 1_000_000 && !stop.IsCancellationRequested; polls++)
                {
                    found.AddRange(await RoutedReadProblemsAsync());
                    polling.TrySetResult();
                    await Task.Yield();
                }

                return (polls, found);
            },
            Ct);
        await polling.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        var replicate = copier.ReplicateAsync(Request(observed), 1, Ct);
        for (var i = 0; i < 10_000 && !replicate.IsCompleted && await _versions.GetAsync("dcB", Table, Ct) is not null; i++)
        {
            await Task.Delay(1, Ct);
        }

        Assert.Null(await _versions.GetAsync("dcB", Table, Ct));
        await time.DriveAsync(replicate, TimeSpan.FromSeconds(1)); // the grace's timer may start after the withdrawal is seen
        await stop.CancelAsync();
        var (polls, concurrent) = await reader;

        Assert.Empty(problems);
        Assert.Empty(concurrent);
        Assert.True(polls > 0);
        Assert.True((await _versions.GetAsync("dcB", Table, Ct))!.SourceTxId >= partitionChanged); // written back
        Assert.True((await _versions.GetAsync("dcB", Partition, Ct))!.SourceTxId >= partitionChanged);
        Assert.Equal("2", Encoding.UTF8.GetString(_dcB.Read(Partition + "/_SUCCESS")!));
    }

    /// <summary>
    /// What a reader routed as the router routes finds: the replica when the nearest record at or above the partition is
    /// not older than the primary's last change under it (then it must be whole and of one version), else the primary.
    /// </summary>
    private async Task<List<string>> RoutedReadProblemsAsync()
    {
        var primary = _dcA.Edits.Where(e => Under(e.Path) || (e.Destination is { } d && Under(d))).Select(e => e.TxId).DefaultIfEmpty(TxId.None).Max();
        ReplicaVersion? covering = null;
        for (var path = Partition; covering is null && path.Length > 0; path = path[..path.LastIndexOf('/')])
        {
            covering = await _versions.GetAsync("dcB", path, CancellationToken.None);
        }

        if (covering is null || covering.SourceTxId < primary)
        {
            return _dcA.Read(Partition + "/_SUCCESS") is null ? ["the primary has no copy"] : [];
        }

        var marker = _dcB.Read(Partition + "/_SUCCESS");
        var parts = _dcB.PathsUnder(Partition).Where(p => p.Contains("/part-", StringComparison.Ordinal)).Select(p => p.Split("/part-")[1].Split('-')[0]).Distinct().ToList();
        return marker is null ? [$"a reader routed by the record of {covering.Path} found the replica path missing"]
            : parts.Count != 1 ? [$"a reader routed by the record of {covering.Path} found parts of versions {string.Join(", ", parts)}"]
            : [];

        static bool Under(string path) => path == Partition || path.StartsWith(Partition + "/", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedSinceAsync_ExchangeTouchingThePath_CountsAsAChange()
    {
        await WriteVersionAsync(1);
        await _dcA.WriteAsync("/elsewhere/x/part-0", 10, 1, Ct);
        await _dcA.WriteAsync("/elsewhere/y/part-0", 10, 2, Ct);
        var snapshot = _dcA.LastTxId;

        await _dcA.ExchangeAsync("/elsewhere/x", "/elsewhere/y", Ct);
        Assert.False(await ReplicaCopier.ChangedSinceAsync(_dcA, Partition, snapshot, Ct));

        await _dcA.ExchangeAsync("/elsewhere/x", Partition, Ct);
        Assert.True(await ReplicaCopier.ChangedSinceAsync(_dcA, Partition, snapshot, Ct));
    }

    /// <summary>
    /// The brief's reader: while a partition is republished many times into a real LocalNamespace, a reader polling the
    /// replica path must find it every time, read its marker file every time, and never list files of two versions.
    /// With the old two renames (aside into trash, then staging into place) it finds nothing in between.
    /// </summary>
    [Fact]
    public async Task ReplicateAsync_ReaderPollingWhileRepublishedManyTimes_NeverMissingNeverMixed()
    {
        const int Versions = 60;
        using var target = new LocalNamespace("dcB", _temp.Combine("local-b"), TimeProvider.System);
        await WriteVersionAsync(1);
        await _copier.ReplicateAsync(Request(target), 2, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reader = Task.Run(() => PollAsync(target, stop.Token), Ct);

        for (var v = 2; v <= Versions; v++)
        {
            await WriteVersionAsync(v);
            Assert.Equal(CopyResult.Copied, (await _copier.ReplicateAsync(Request(target), 2, Ct)).Result);
        }

        await stop.CancelAsync();
        var (polls, seen, problems) = await reader;

        Assert.Empty(problems);
        Assert.True(polls > 0);
        Assert.True(seen.Count > 1, $"the reader saw only version(s) {string.Join(", ", seen)}; it did not overlap the republishing");
        Assert.Equal(Versions.ToString(CultureInfo.InvariantCulture), await ReadTextAsync(target, Partition + "/_SUCCESS", Ct));
    }

    private static async Task<(int Polls, SortedSet<int> Seen, List<string> Problems)> PollAsync(INamespace ns, CancellationToken stop)
    {
        var problems = new List<string>();
        var seen = new SortedSet<int>();
        var polls = 0;
        while (!stop.IsCancellationRequested && problems.Count < 10)
        {
            polls++;
            try
            {
                if (await ns.GetStatusAsync(Partition, CancellationToken.None) is not { IsDirectory: true })
                {
                    problems.Add($"poll {polls}: the replica path is missing");
                    continue;
                }

                var listed = await ns.ListAsync(Partition, CancellationToken.None).Select(e => e.Path[(Partition.Length + 1)..]).ToListAsync(CancellationToken.None);
                var versions = listed.Where(n => n.StartsWith("part-", StringComparison.Ordinal)).Select(n => n.Split('-')[1]).Distinct().ToList();
                if (versions.Count > 1)
                {
                    problems.Add($"poll {polls}: files of versions {string.Join(", ", versions)} at once");
                }

                seen.Add(int.Parse(await ReadTextAsync(ns, Partition + "/_SUCCESS", CancellationToken.None), CultureInfo.InvariantCulture));
            }
            catch (FileNotFoundException ex)
            {
                problems.Add($"poll {polls}: {ex.Message}");
            }
        }

        return (polls, seen, problems);
    }

    private static async Task<string> ReadTextAsync(INamespace ns, string path, CancellationToken cancellationToken)
    {
        await using var stream = await ns.OpenReadAsync(path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private CopyRequest Request(INamespace target) => new(_dcA, target, Partition, "sales.orders", TrafficPriority.High, StagingFolder);

    /// <summary>Replaces the source partition with version <paramref name="version"/>: three part files named after it and a _SUCCESS holding it.</summary>
    private async Task WriteVersionAsync(int version)
    {
        await _dcA.DeleteAsync(Partition, recursive: true, Ct);
        var text = Encoding.UTF8.GetBytes(version.ToString(CultureInfo.InvariantCulture));
        for (var k = 0; k < 3; k++)
        {
            await _dcA.CreateAsync($"{Partition}/part-{version}-{k}", (s, ct) => s.WriteAsync(text, ct).AsTask(), overwrite: false, Ct);
        }

        await _dcA.CreateAsync($"{Partition}/_SUCCESS", (s, ct) => s.WriteAsync(text, ct).AsTask(), overwrite: false, Ct);
    }
}
