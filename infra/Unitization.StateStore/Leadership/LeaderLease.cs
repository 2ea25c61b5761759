using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Unitization.StateStore.Leadership;

/// <summary>
/// Leadership of one singleton, held while it is renewed. <see cref="Lost"/> is cancelled as soon as this process can
/// no longer be sure it leads: a renewal refused (another holder took over) or none succeeding before the local
/// deadline, which is one lease length after the last successful renewal was <em>sent</em>, less one renewal interval,
/// so it falls before the database (counting from when it ran the statement, later) lets anyone else in. Writes that must come from the leader call
/// <see cref="FenceAsync"/> in their transaction: it locks the lease row and refuses unless <see cref="Epoch"/> is
/// still current, so a leader that was paused past its lease cannot overwrite its successor's work.
/// </summary>
public sealed class LeaderLease : IAsyncDisposable
{
    private readonly LeaderElector _elector;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;

    /// <param name="sent">When the statement that won the lease was sent (<see cref="TimeProvider.GetTimestamp"/>).</param>
    internal LeaderLease(LeaderElector elector, string name, string holder, long epoch, long sent)
    {
        _elector = elector;
        Name = name;
        Holder = holder;
        Epoch = epoch;
        _lost = new CancellationTokenSource(Remaining(sent), elector.Time);
        _renewals = RenewAsync();
    }

    public string Name { get; }

    public string Holder { get; }

    /// <summary>The fencing token: greater than every earlier holder's.</summary>
    public long Epoch { get; }

    /// <summary>Cancelled when leadership is lost (or given up).</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsHeld => !_lost.IsCancellationRequested;

    /// <summary>Throws <see cref="LeadershipLostException"/> unless the lease is still held by this process's clock.</summary>
    public void EnsureHeld()
    {
        if (!IsHeld)
        {
            throw new LeadershipLostException($"the lease '{Name}' (epoch {Epoch}) is no longer held by {Holder}");
        }
    }

    /// <summary>
    /// Inside <paramref name="transaction"/>: locks the lease row and throws <see cref="LeadershipLostException"/>
    /// unless this holder's epoch is still the current one; the caller's writes then commit only under it.
    /// </summary>
    public async Task FenceAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        EnsureHeld();
        var command = StateSql.Command(
            connection,
            "SELECT epoch FROM leader_leases WHERE name = @name AND holder = @holder" + (_elector.Provider == StateProviders.PostgreSql ? " FOR UPDATE" : string.Empty),
            transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Add("@name", Name);
            command.Add("@holder", Holder);
            var current = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (current is null || Convert.ToInt64(current, System.Globalization.CultureInfo.InvariantCulture) != Epoch)
            {
                await _lost.CancelAsync().ConfigureAwait(false);
                throw new LeadershipLostException($"the lease '{Name}' moved on from epoch {Epoch}: this write from {Holder} is refused");
            }
        }
    }

    /// <summary>Stops renewing and gives the lease up, so a standby takes over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        var wasHeld = IsHeld;
        await StopAsync().ConfigureAwait(false);
        if (wasHeld)
        {
            await _elector.ReleaseAsync(this).ConfigureAwait(false);
        }
    }

    /// <summary>Stops renewing without giving the lease up: what a process that dies leaves behind (for tests).</summary>
    internal async Task AbandonAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _lost.CancelAsync().ConfigureAwait(false);
        try
        {
            await _renewals.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewAsync()
    {
        await Task.Yield();
        var time = _elector.Time;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(_elector.RenewInterval, time, _stop.Token).ConfigureAwait(false);
            var sent = time.GetTimestamp();
            try
            {
                if (!await _elector.RenewAsync(this, _stop.Token).ConfigureAwait(false))
                {
                    StateStoreLog.Lost(_elector.Logger, Name, Epoch, "another holder took the lease");
                    break;
                }

                if (_lost.IsCancellationRequested)
                {
                    StateStoreLog.Lost(_elector.Logger, Name, Epoch, "the renewal came back after the lease ran out");
                    break;
                }

                _lost.CancelAfter(Remaining(sent));
            }
            catch (DbException ex)
            {
                if (_lost.IsCancellationRequested)
                {
                    StateStoreLog.Lost(_elector.Logger, Name, Epoch, $"no renewal before the lease ran out ({ex.Message})");
                    break;
                }
            }
        }

        await _lost.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>How long this process may still act: the lease from <paramref name="sent"/>, less one renewal interval of margin.</summary>
    private TimeSpan Remaining(long sent)
    {
        var left = _elector.LeaseDuration - _elector.RenewInterval - _elector.Time.GetElapsedTime(sent);
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }
}
