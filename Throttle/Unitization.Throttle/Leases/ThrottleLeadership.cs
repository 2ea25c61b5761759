using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unitization.StateStore;
using Unitization.StateStore.Leadership;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Leases;

/// <summary>
/// Which throttle instance of a fleet holds the link budgets: the holder of <see cref="LeaseName"/> in the state
/// store's <c>leader_leases</c> (<see cref="LeaderElector"/>, fenced by epoch). Only the leader grants leases, from its
/// one scheduler per link, so a link's rate, its priority floors, tenant weights and caps hold across every client of
/// every instance; a standby answers 503 and its clients go to the next URL of <c>Throttle:ServiceUrl</c>. A standby
/// tries to take the lease every <c>StateStore:LeaderRenewInterval</c>, so a killed leader is replaced within
/// <c>StateStore:LeaderLeaseDuration</c> and one poll; a new leader first waits until every lease its predecessor
/// granted has run out (<see cref="ThrottleOptions.LeaseTtl"/> less the renewal interval by which the predecessor
/// stopped granting before its lease ran out), so the link never gets two budgets' worth at the handover.
/// </summary>
internal sealed class ThrottleLeadership(LeaderElector elector, StateStoreOptions store, ThrottleOptions options, TimeProvider time, ILogger logger)
    : BackgroundService
{
    public const string LeaseName = "throttle:links";

    private readonly Lock _lock = new();
    private LeadershipState _state = LeadershipState.Electing;
    private LeaderLease? _lease;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This instance's part now.</summary>
    public LeadershipState State
    {
        get
        {
            lock (_lock)
            {
                return _state == LeadershipState.Leader && _lease is { IsHeld: false } ? LeadershipState.Standby : _state;
            }
        }
    }

    /// <summary>The fencing epoch this instance leads under, or null.</summary>
    public long? Epoch
    {
        get
        {
            lock (_lock)
            {
                return _state == LeadershipState.Leader ? _lease?.Epoch : null;
            }
        }
    }

    /// <summary>
    /// Whether this instance leads, waiting at most <paramref name="maxWait"/> while that is not yet known (the first
    /// election at start, a new leader's wait for its predecessor's leases). A standby answers false at once.
    /// </summary>
    public async ValueTask<bool> WaitLeadingAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_state == LeadershipState.Leader)
                {
                    return _lease is { IsHeld: true };
                }

                if (_state == LeadershipState.Standby)
                {
                    return false;
                }

                changed = _changed.Task;
            }

            var left = maxWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await changed.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renew = store.LeaderRenewInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            LeaderLease? lease = null;
            try
            {
                lease = await elector.TryAcquireAsync(LeaseName, stoppingToken).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                ThrottleLog.ElectionFailed(logger, ex.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (lease is null)
            {
                Set(LeadershipState.Standby, null);
                await Task.Delay(renew, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            await using (lease.ConfigureAwait(false))
            {
                await LeadAsync(lease, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Set(LeadershipState.Standby, null);
    }

    private async Task LeadAsync(LeaderLease lease, CancellationToken stoppingToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(lease.Lost, stoppingToken);
        try
        {
            // on PostgreSQL another process may have led until just now: its clients may spend what it granted until
            // their leases run out, which is at most LeaseTtl after its last grant, and it stopped granting at least one
            // renewal interval before its lease ran out in the database. (SQLite has one process by definition.)
            var grace = store.Provider == StateProviders.PostgreSql && lease.Epoch > 1 ? options.LeaseTtl - store.LeaderRenewInterval : TimeSpan.Zero;
            if (grace > TimeSpan.Zero)
            {
                Set(LeadershipState.Electing, null);
                await Task.Delay(grace, time, both.Token).ConfigureAwait(false);
            }

            Set(LeadershipState.Leader, lease);
            ThrottleLog.Leading(logger, lease.Epoch, grace.TotalMilliseconds);
            await Task.Delay(Timeout.InfiniteTimeSpan, time, both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // lost (another holder, or no renewal in time) or stopping
        }

        Set(LeadershipState.Standby, null);
        if (!stoppingToken.IsCancellationRequested)
        {
            ThrottleLog.LeadershipLost(logger, lease.Epoch);
        }
    }

    private void Set(LeadershipState state, LeaderLease? lease)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _state = state;
            _lease = lease;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
