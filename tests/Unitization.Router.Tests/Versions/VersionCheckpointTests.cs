using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Unitization.Namespaces;
using Unitization.Router.Versions;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Router.Tests.Versions;

public sealed class VersionCheckpointTests
{
    private static readonly string[] Paths =
        ["/", "/warehouse", "/warehouse/a", "/warehouse/a/part-0", "/warehouse/a/part-1", "/warehouse/b", "/warehouse/b/part-0", "/warehouse/c", "/warehouse/c/part-0", "/tmp/x"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private readonly MemoryCheckpointStore _store = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EditLogFollower Follower(VersionService versions) =>
        new(versions, _store, Microsoft.Extensions.Options.Options.Create(new RouterOptions { DefaultDatacenter = "dcA" }), _time, NullLogger<EditLogFollower>.Instance);

    private static void CatchUp(VersionService versions, InMemoryNamespace ns)
    {
        var index = versions.IndexOf(ns.Name);
        foreach (var edit in ns.Edits.Where(e => e.TxId > index.Position))
        {
            index.Apply(edit);
        }
    }

    private static long[] VersionsOf(VersionService versions, string datacenter) =>
        [.. Paths.Select(p => versions.IndexOf(datacenter).LastUnder(p).Value)];

    private static async Task FirstHalfAsync(InMemoryNamespace ns)
    {
        ns.Write("/warehouse/a/part-0", [1]);
        ns.Write("/warehouse/b/part-0", [2]);
        await ns.RenameAsync("/warehouse/b", "/warehouse/c", Ct);
        ns.Write("/tmp/x", [3]);
    }

    private static async Task SecondHalfAsync(InMemoryNamespace ns)
    {
        ns.Write("/warehouse/a/part-1", [4]);
        await ns.DeleteAsync("/tmp/x", recursive: false, Ct);
        ns.Write("/warehouse/b/part-0", [5]);
        await ns.ExchangeAsync("/warehouse/a", "/warehouse/b", Ct);
        Assert.Equal([5], ns.Read("/warehouse/a/part-0"));
    }

    [Fact]
    public async Task Restart_ResumesFromTheCheckpoint_AndReachesTheSameVersionsAsAFullReplay()
    {
        var catalog = new InMemoryNamespaceCatalog("dcA");
        var ns = catalog["dcA"];
        await FirstHalfAsync(ns);
        var before = new VersionService(catalog);
        CatchUp(before, ns);
        var saved = await Follower(before).SaveAsync("dcA", TxId.None, Ct);
        Assert.Equal(ns.LastTxId, saved);
        var atCheckpoint = VersionsOf(before, "dcA");

        await SecondHalfAsync(ns);

        // the restart: a new version service resumes from the checkpoint, knowing the first half without reading it
        var after = new VersionService(catalog);
        Assert.True(await Follower(after).ResumeAsync("dcA", Ct));
        Assert.Equal(saved, after.IndexOf("dcA").Position);
        Assert.Equal(saved, after.IndexOf("dcA").ResumedFrom);
        Assert.Equal(atCheckpoint, VersionsOf(after, "dcA"));

        // ...and follows the rest of the log from there to the same versions a replay from txid 0 gives
        CatchUp(after, ns);
        var replayed = new VersionService(catalog);
        CatchUp(replayed, ns);
        Assert.Equal(VersionsOf(replayed, "dcA"), VersionsOf(after, "dcA"));
        Assert.Equal(replayed.IndexOf("dcA").Position, after.IndexOf("dcA").Position);
    }

    [Fact]
    public async Task Resume_CheckpointOfAnotherLog_Ignored_ReplayFromTheStart()
    {
        var catalog = new InMemoryNamespaceCatalog("dcA");
        await FirstHalfAsync(catalog["dcA"]);
        var versions = new VersionService(catalog);
        CatchUp(versions, catalog["dcA"]);
        await Follower(versions).SaveAsync("dcA", TxId.None, Ct);

        // the namespace is recreated: as many edits, different ones
        var recreated = new InMemoryNamespaceCatalog("dcA");
        for (var i = 0; recreated["dcA"].LastTxId < catalog["dcA"].LastTxId; i++)
        {
            recreated["dcA"].Write($"/other/{i}", [9]);
        }

        var fresh = new VersionService(recreated);
        Assert.False(await Follower(fresh).ResumeAsync("dcA", Ct));
        Assert.Equal(TxId.None, fresh.IndexOf("dcA").Position);

        // a log shorter than the checkpoint
        var shorter = new InMemoryNamespaceCatalog("dcA");
        shorter["dcA"].Write("/warehouse/a/part-0", [1]);
        var alsoFresh = new VersionService(shorter);
        Assert.False(await Follower(alsoFresh).ResumeAsync("dcA", Ct));
        Assert.Equal(TxId.None, alsoFresh.IndexOf("dcA").Position);
    }

    [Fact]
    public async Task Save_NothingNew_DoesNotRewrite()
    {
        var catalog = new InMemoryNamespaceCatalog("dcA");
        var versions = new VersionService(catalog);
        var follower = Follower(versions);
        Assert.Equal(TxId.None, await follower.SaveAsync("dcA", TxId.None, Ct));
        Assert.Equal(0, _store.Saves);

        catalog["dcA"].Write("/a", [1]);
        CatchUp(versions, catalog["dcA"]);
        var saved = await follower.SaveAsync("dcA", TxId.None, Ct);
        Assert.Equal(saved, await follower.SaveAsync("dcA", saved, Ct));
        Assert.Equal(1, _store.Saves);
    }

    private sealed class MemoryCheckpointStore : IVersionCheckpointStore
    {
        private readonly Dictionary<string, VersionCheckpoint> _rows = new(StringComparer.Ordinal);

        public int Saves { get; private set; }

        public Task<VersionCheckpoint?> LoadAsync(string datacenter, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                return Task.FromResult(_rows.GetValueOrDefault(datacenter));
            }
        }

        public Task SaveAsync(VersionCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                _rows[checkpoint.Datacenter] = checkpoint;
                Saves++;
            }

            return Task.CompletedTask;
        }
    }
}
