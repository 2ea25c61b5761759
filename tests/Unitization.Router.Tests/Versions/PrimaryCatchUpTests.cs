using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Router.Versions;
using Unitization.TestUtils.Namespaces;

namespace Unitization.Router.Tests.Versions;

public sealed class PrimaryCatchUpTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_CallersDuringACatchUp_ShareTheNextOneStartedAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = new ControlledSync(new InMemoryNamespace("dcA"));
        var index = new PrimaryVersionIndex();
        var catchUp = new PrimaryCatchUp("dcA", ns, index, TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);

        var first = catchUp.RunAsync(ct);
        var firstSync = await ns.NextCallAsync(ct);
        var second = catchUp.RunAsync(ct);
        var third = catchUp.RunAsync(ct);
        Assert.Equal(1, ns.Calls); // one at a time: the others wait for the running one to end
        firstSync.SetResult(new TxId(5));
        Assert.Equal(new TxId(5), await first);

        var nextSync = await ns.NextCallAsync(ct); // started after the first ended, for both callers that came meanwhile
        nextSync.SetResult(new TxId(9));
        Assert.Equal(new TxId(9), await second);
        Assert.Equal(new TxId(9), await third);
        Assert.Equal(2, ns.Calls);
        Assert.Equal(2, catchUp.Runs);
    }

    [Fact]
    public async Task RunAsync_IndexShortOfTheLearnedTxid_WaitsForTheFollowerToApplyIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = new ControlledSync(new InMemoryNamespace("dcA"));
        var index = new PrimaryVersionIndex();
        var catchUp = new PrimaryCatchUp("dcA", ns, index, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger.Instance);

        var run = catchUp.RunAsync(ct);
        (await ns.NextCallAsync(ct)).SetResult(new TxId(2));
        index.Apply(new EditRecord(new TxId(1), EditOp.Mkdirs, "/a", null, 0, null, At));
        Assert.False(run.IsCompleted);
        index.Apply(new EditRecord(new TxId(2), EditOp.Mkdirs, "/b", null, 0, null, At));

        Assert.Equal(new TxId(2), await run);
    }

    [Fact]
    public async Task RunAsync_JournalFailsOrTimesOut_NullSoTheReadGoesToThePrimary()
    {
        var ct = TestContext.Current.CancellationToken;
        var failing = new ControlledSync(new InMemoryNamespace("dcA"));
        var timingOut = new ControlledSync(new InMemoryNamespace("dcA"));
        var index = new PrimaryVersionIndex();
        var failed = new PrimaryCatchUp("dcA", failing, index, TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);
        var timedOut = new PrimaryCatchUp("dcA", timingOut, index, TimeSpan.FromMilliseconds(50), TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);

        var run = failed.RunAsync(ct);
        (await failing.NextCallAsync(ct)).SetException(new IOException("no JournalNode answered"));

        Assert.Null(await run);
        Assert.Null(await timedOut.RunAsync(ct)); // its sync never answers
    }

    /// <summary>A synced namespace whose syncs the test answers one by one.</summary>
    private sealed class ControlledSync(InMemoryNamespace files) : ISyncedNamespace
    {
        private readonly Lock _gate = new();
        private readonly Queue<TaskCompletionSource<TaskCompletionSource<TxId>>> _waiting = [];
        private readonly Queue<TaskCompletionSource<TxId>> _calls = [];
        private int _count;

        public int Calls => Volatile.Read(ref _count);

        public string Name => files.Name;

        public TxId LastTxId => files.LastTxId;

        public async Task<TxId> SyncAsync(CancellationToken cancellationToken)
        {
            var call = new TaskCompletionSource<TxId>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _count++;
                if (_waiting.TryDequeue(out var waiter))
                {
                    waiter.SetResult(call);
                }
                else
                {
                    _calls.Enqueue(call);
                }
            }

            return await call.Task.WaitAsync(cancellationToken);
        }

        /// <summary>The next sync call, once it is made.</summary>
        public Task<TaskCompletionSource<TxId>> NextCallAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_calls.TryDequeue(out var call))
                {
                    return Task.FromResult(call);
                }

                var waiter = new TaskCompletionSource<TaskCompletionSource<TxId>>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(waiter);
                return waiter.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
        }

        public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => files.GetStatusAsync(path, cancellationToken);

        public IAsyncEnumerable<NamespaceEntry> ListAsync(string path, CancellationToken cancellationToken) => files.ListAsync(path, cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => files.OpenReadAsync(path, cancellationToken);

        public Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken) =>
            files.CreateAsync(path, write, overwrite, cancellationToken);

        public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken) => files.MkdirsAsync(path, cancellationToken);

        public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken) => files.RenameAsync(source, destination, cancellationToken);

        public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken) => files.ExchangeAsync(first, second, cancellationToken);

        public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) => files.DeleteAsync(path, recursive, cancellationToken);

        public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) =>
            files.SetTimesAsync(path, modificationTime, cancellationToken);

        public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken) => files.GetChecksumAsync(path, cancellationToken);

        public IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, CancellationToken cancellationToken) => files.EditsSinceAsync(after, follow, cancellationToken);
    }
}
