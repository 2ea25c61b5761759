namespace Unitization.Analytics.Ingest;

/// <summary>
/// Work that may run a few at once but must be handed on in the order it started: the ingest's inserts (ClickHouse
/// writes one insert on one thread, so a second insert in flight uses the second core), whose batches go to the
/// consumer for their offsets' commit strictly in batch order. At most <c>limit</c> run at once; each item is handed
/// to <c>finished</c> once its own work and all work started before it are done. When one fails, the rest are waited
/// for (nothing left running behind the caller's back) and the failure is thrown; those items are not handed on.
/// </summary>
internal sealed class InOrderWindow<T>
{
    private readonly Queue<(T Item, Task Work)> _running = [];
    private readonly int _limit;
    private readonly Action<T> _finished;

    public InOrderWindow(int limit, Action<T> finished)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentNullException.ThrowIfNull(finished);
        (_limit, _finished) = (limit, finished);
    }

    /// <summary>Work started and not yet handed on.</summary>
    public int Count => _running.Count;

    /// <summary>
    /// Takes <paramref name="work"/> (already started) for <paramref name="item"/>; returns once fewer than the limit
    /// run, having handed on every item at the front whose work is done.
    /// </summary>
    public async Task AddAsync(T item, Task work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _running.Enqueue((item, work));
        while (_running.Count >= _limit || (_running.Count > 0 && _running.Peek().Work.IsCompleted))
        {
            await FinishOldestAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for all the work and hands every item on, in order.</summary>
    public async Task DrainAsync()
    {
        while (_running.Count > 0)
        {
            await FinishOldestAsync().ConfigureAwait(false);
        }
    }

    private async Task FinishOldestAsync()
    {
        var (item, work) = _running.Peek();
        try
        {
            await work.ConfigureAwait(false);
        }
        catch
        {
            var rest = _running.Select(r => r.Work).ToList();
            _running.Clear();
            try
            {
                await Task.WhenAll(rest).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the first failure is the one thrown; the others were waited for only so none keeps running
            }

            throw;
        }

        _running.Dequeue();
        _finished(item);
    }
}
