using FsCheck;
using FsCheck.Fluent;
using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.Router.Resolution;
using Unitization.Router.Tests.Versions;
using Unitization.TestUtils;

namespace Unitization.Router.Tests.Resolution;

/// <summary>
/// Random interleavings of primary writes and deletes, replica copies (started and committed at different moments),
/// edit-log follow steps, replica-version refreshes and reads: a read is never served from a stale copy, i.e. what a
/// dcB client reads is always what the primary holds at that moment.
/// </summary>
public sealed class NeverStalePropertyTests : IAsyncLifetime
{
    private readonly TempDirectory _journals = new("unitization-never-stale");
    private readonly HttpClient _http = new();
    private JournalNodeHttpServer? _journalNode;

    private enum Step
    {
        Write,
        Delete,
        StartCopy,
        CommitCopy,
        Follow,
        Refresh,
        Read,
    }

    [Fact]
    public void Read_AnyInterleaving_NeverServedFromAStaleCopy()
    {
        var step = Gen.Elements(Enum.GetValues<Step>());
        var operation = step.Zip(Gen.Choose(0, 3));
        var scenario = operation.ListOf().Select(list => list.ToArray());
        Prop.ForAll(scenario.ToArbitrary(), Holds).QuickCheckThrowOnFailure();
    }

    public async ValueTask InitializeAsync() => _journalNode = await JournalNodeHttpServer.StartAsync(_journals.Path);

    public async ValueTask DisposeAsync()
    {
        if (_journalNode is not null)
        {
            await _journalNode.DisposeAsync();
        }

        _http.Dispose();
        _journals.Dispose();
    }

    [Fact]
    public void Read_AnyInterleavingWithAnHdfsPrimary_NeverServedFromAStaleCopy()
    {
        // the same with dcA a Kind: hdfs namespace: its versions are the txids of the NameNode's edit log, read back
        // through the JournalNode double from segments that roll as the property writes; a copy records the namespace's
        // last txid (even arg) or the one the router had read (odd arg) when it started
        var step = Gen.Elements(Enum.GetValues<Step>());
        var operation = step.Zip(Gen.Choose(0, 3));
        var scenario = operation.ListOf().Select(list => list.ToArray());
        Prop.ForAll(scenario.ToArbitrary(), operations => Holds(operations, hdfsPrimary: true)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Read_CommitOfAnOlderCopyAfterANewerOne_NeverServedStale()
    {
        // the interleaving that most easily goes wrong, spelled out
        Assert.True(Holds(
        [
            (Step.Write, 0), (Step.StartCopy, 0), (Step.Write, 0), (Step.StartCopy, 0), (Step.CommitCopy, 1), (Step.CommitCopy, 0),
            (Step.Follow, 3), (Step.Refresh, 0), (Step.Read, 0), (Step.Write, 0), (Step.Read, 0), (Step.Follow, 3), (Step.Read, 0),
        ]));
    }

    private bool Holds((Step Step, int Arg)[] operations) => Holds(operations, hdfsPrimary: false);

    private bool Holds((Step Step, int Arg)[] operations, bool hdfsPrimary)
    {
        HdfsJournalFollow? journal = null;
        var h = new RouterHarness(present: hdfsPrimary ? catalog => catalog.Present("dcA", (journal = new HdfsJournalFollow(catalog["dcA"], _journalNode!, _http)).Namespace) : null);
        using var disposeJournal = journal;
        var pending = new List<(string Path, TxId Version, byte[]? Content)>();
        var counter = 0;
        foreach (var (step, arg) in operations)
        {
            var path = $"/warehouse/t/f{arg}";
            switch (step)
            {
                case Step.Write:
                    h.Dc("dcA").Write(path, BitConverter.GetBytes(++counter));
                    break;
                case Step.Delete:
                    Run(h.Dc("dcA").DeleteAsync(path, recursive: true, CancellationToken.None));
                    break;
                case Step.StartCopy:
                    // the replicator reads the primary's txid, then the data (nothing can change in between here)
                    var version = journal is null ? h.Dc("dcA").LastTxId
                        : arg % 2 == 0 ? journal.Namespace.LastTxId
                        : h.Versions.IndexOf("dcA").Position;
                    pending.Add((path, version, h.Dc("dcA").Read(path)));
                    break;
                case Step.CommitCopy when pending.Count > 0:
                    var copy = pending[arg % pending.Count];
                    pending.Remove(copy);
                    Commit(h, copy.Path, copy.Version, copy.Content);
                    break;
                case Step.Follow when journal is not null:
                    journal.CatchUp(h.Versions.IndexOf("dcA"), arg + 1);
                    break;
                case Step.Follow:
                    h.CatchUp("dcA", arg + 1);
                    break;
                case Step.Refresh:
                    Run(h.RefreshAsync());
                    break;
                case Step.Read:
                    var route = h.Resolver.Resolve(path, "10.2.0.9", RouteIntent.Read);
                    var served = h.Dc(route.Datacenter!).Read(route.PhysicalPath!);
                    var truth = h.Dc("dcA").Read(path);
                    if (!(served ?? []).AsSpan().SequenceEqual(truth ?? []) || (served is null) != (truth is null))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    // a replicator commits a copy idempotently: a copy older than the committed version is dropped
    private static void Commit(RouterHarness h, string path, TxId version, byte[]? content)
    {
        var committed = Run(h.ReplicaStore.GetAsync("dcB", path, CancellationToken.None));
        if (committed is not null && committed.SourceTxId >= version)
        {
            return;
        }

        if (content is null)
        {
            Run(h.Dc("dcB").DeleteAsync(path, recursive: true, CancellationToken.None));
        }
        else
        {
            h.Dc("dcB").Write(path, content);
        }

        Run(h.ReplicaStore.RecordAsync(new ReplicaVersion("dcB", path, version, h.Time.GetUtcNow()), CancellationToken.None));
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Run(Task task) => task.GetAwaiter().GetResult();
}
