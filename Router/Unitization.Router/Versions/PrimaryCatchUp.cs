using Microsoft.Extensions.Logging;
using Unitization.Namespaces;

namespace Unitization.Router.Versions;

/// <summary>
/// The router's msync for one primary whose edits it learns by polling (<see cref="ISyncedNamespace"/>, an HDFS
/// NameNode's journal): a catch-up learns the primary's last written txid, then waits until the version index has
/// applied every edit up to it: each step within <c>timeout</c>. One runs at a time; callers arriving while one runs share the
/// next one, which starts when it ends (the running one may have learned the txid before they arrived, so it does not
/// cover their reads). Null: it could not learn the txid in time; the read goes to the primary, as it does when the
/// index is still short of the txid learned.
/// </summary>
internal sealed class PrimaryCatchUp(string datacenter, ISyncedNamespace ns, PrimaryVersionIndex index, TimeSpan timeout, TimeSpan indexWait, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();

    /// <summary>The primary's datacenter.</summary>
    public string Datacenter => datacenter;

    private Task<TxId?>? _running;
    private Task<TxId?>? _queued;

    /// <summary>How many catch-ups have run (a caller that found one queued shares it).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    private long _runs;

    /// <summary>
    /// A txid at or past every edit the primary had written when this call started, and every edit up to it is
    /// applied to the index unless the wait for it ran out; null when the primary's journal could not tell in time.
    /// </summary>
    public Task<TxId?> RunAsync(CancellationToken cancellationToken)
    {
        Task<TxId?> shared;
        lock (_gate)
        {
            if (_running is null)
            {
                shared = _running = CatchUpAfterAsync(null);
            }
            else
            {
                shared = _queued ??= CatchUpAfterAsync(_running);
            }
        }

        return shared.WaitAsync(cancellationToken);
    }

    private async Task<TxId?> CatchUpAfterAsync(Task? before)
    {
        if (before is null)
        {
            await Task.Yield(); // never complete inside the caller's lock
        }
        else
        {
            await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        try
        {
            Interlocked.Increment(ref _runs);
            return await CatchUpAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _running = _queued;
                _queued = null;
            }
        }
    }

    private async Task<TxId?> CatchUpAsync()
    {
        TxId last;
        using (var bound = new CancellationTokenSource(timeout, time))
        {
            try
            {
                last = await ns.SyncAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                RouterLog.CatchUpTimedOut(logger, datacenter, timeout, "its journal's last written txid");
                return null;
            }
#pragma warning disable CA1031 // a catch-up that fails sends the read to the primary; the next read tries again
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.CatchUpFailed(logger, ex, datacenter);
                return null;
            }
        }

        // confirmed: the freshness check compares with it, and says CatchingUp (the primary) while the index is short of it
        if (index.Position < last && indexWait > TimeSpan.Zero)
        {
            using var wait = new CancellationTokenSource(indexWait, time);
            try
            {
                await index.WaitForAsync(last, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                RouterLog.CatchUpTimedOut(logger, datacenter, indexWait, $"its edits up to txid {last}");
            }
        }

        return last;
    }
}
