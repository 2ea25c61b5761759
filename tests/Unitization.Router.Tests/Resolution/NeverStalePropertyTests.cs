using System.Collections.Concurrent;
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
        // the same with dcA a Kind: hdfs namespace: its versions are the txids of the NameNode's edit log, logged as
        // each write is answered and read back through the JournalNode double from segments that roll as the property
        // writes. The namespace's own tail polls once an hour, so what it knows lags every write (as it lags a real
        // NameNode by up to a poll): only the resolve's catch-up (the JournalNode's LastWrittenTxId, then its tail woken
        // to read that far) tells the router of them. A copy records the namespace's last txid (even arg) or the one
        // the router had read (odd arg) when it started
        var step = Gen.Elements(Enum.GetValues<Step>());
        var operation = step.Zip(Gen.Choose(0, 3));
        var scenario = operation.ListOf().Select(list => list.ToArray());
        // 30 cases: each read here is a catch-up over HTTP (a loaded CI machine takes ~1 s a case)
        Prop.ForAll(scenario.ToArbitrary(), operations => Holds(operations, hdfsPrimary: true)).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
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
        var h = new RouterHarness(
            present: hdfsPrimary ? catalog => catalog.Present("dcA", (journal = new HdfsJournalFollow(catalog["dcA"], _journalNode!, _http, TimeSpan.FromHours(1))).Namespace) : null,
            catchUp: hdfsPrimary ? (TimeSpan.FromSeconds(30), TimeSpan.Zero) : null); // the steps follow the edits: no follower to wait for
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
                    journal?.Journal();
                    break;
                case Step.Delete:
                    Run(h.Dc("dcA").DeleteAsync(path, recursive: true, CancellationToken.None));
                    journal?.Journal();
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
                    var route = Run(h.Resolver.ResolveAsync(path, "10.2.0.9", RouteIntent.Read, CancellationToken.None).AsTask());
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

    [Fact]
    public async Task Read_ConcurrentWritersReplicatorAndReadersWithAnHdfsPrimary_NeverServedStale()
    {
        // two writers, a replicator and two readers at once, against dcA a Kind: hdfs namespace whose tails poll every
        // 200 ms and a follower applying its edits in the background: a dcB read that starts after a write was
        // answered serves that write or a newer one, while replica reads do happen
        var ct = TestContext.Current.CancellationToken;
        HdfsJournalFollow? hdfs = null;
        var h = new RouterHarness(
            present: catalog => catalog.Present("dcA", (hdfs = new HdfsJournalFollow(catalog["dcA"], _journalNode!, _http, TimeSpan.FromMilliseconds(200), segmentOps: 50)).Namespace),
            catchUp: (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)));
        using var disposeJournal = hdfs;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromMinutes(10)); // a guard against a hang only: under CI load the run has taken 30-90 s
        var paths = new[] { "/warehouse/t/f0", "/warehouse/t/f1" };
        var answered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var writeGate = new Lock();
        var counter = 0;
        foreach (var path in paths)
        {
            h.Dc("dcA").Write(path, BitConverter.GetBytes(0));
            hdfs!.Journal();
            answered[path] = 0;
        }

        var follower = hdfs!.FollowAsync(h.Versions.IndexOf("dcA"), stop.Token);
        var writing = 2;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; i < 150 && !stop.IsCancellationRequested; i++)
                {
                    var path = paths[(i + w) % paths.Length];
                    lock (writeGate)
                    {
                        // the NameNode logs the write before it answers; the write counts once answered
                        var value = ++counter;
                        h.Dc("dcA").Write(path, BitConverter.GetBytes(value));
                        hdfs.Journal();
                        answered[path] = value;
                    }

                    await Task.Delay(2, ct); // pacing: the writes spread over the readers' and replicator's work
                }

                Interlocked.Decrement(ref writing);
            },
            ct)).ToArray();
        var replicator = Task.Run(
            async () =>
            {
                for (var i = 0; Volatile.Read(ref writing) > 0 && !stop.IsCancellationRequested; i++)
                {
                    var path = paths[i % paths.Length];
                    var version = hdfs.Namespace.LastTxId;
                    Commit(h, path, version, h.Dc("dcA").Read(path));
                    await h.RefreshAsync();
                }
            },
            ct);
        var stale = new ConcurrentQueue<string>();
        var replicaReads = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(
            async () =>
            {
                for (var i = 0; Volatile.Read(ref writing) > 0 && !stop.IsCancellationRequested; i++)
                {
                    var path = paths[(i + r) % paths.Length];
                    var before = answered[path];
                    var route = await h.Resolver.ResolveAsync(path, "10.2.0.9", RouteIntent.Read, stop.Token);
                    var served = BitConverter.ToInt32(h.Dc(route.Datacenter!).Read(route.PhysicalPath!));
                    if (route.Datacenter == "dcB")
                    {
                        Interlocked.Increment(ref replicaReads);
                    }

                    if (served < before)
                    {
                        stale.Enqueue($"{path}: served {served} from {route.Datacenter} ({route.Reason}) after {before} was answered");
                    }
                }
            },
            ct)).ToArray();

        await Task.WhenAll([.. writers, replicator, .. readers]);
        Assert.False(stop.IsCancellationRequested, "the writers were not done after 10 minutes: something hung");
        await stop.CancelAsync();
        await follower;

        Assert.Empty(stale);
        Assert.True(replicaReads > 0, "no read was served from the dcB replica: the property did not exercise replica reads");
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
