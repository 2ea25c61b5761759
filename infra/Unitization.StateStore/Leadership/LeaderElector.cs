using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Unitization.StateStore.Leadership;

/// <summary>
/// Elects one leader per singleton through the state store's <c>leader_leases</c> table: a process wins a lease when
/// the row is free or ran out (by the database's clock), raising its epoch; the winner renews it every
/// <c>StateStore:LeaderRenewInterval</c>, and a standby polls as often, so a dead leader is replaced within one lease
/// (<c>StateStore:LeaderLeaseDuration</c>) and one poll. On SQLite (one process by definition) the lease is taken at
/// once, whoever held it before: a restarted process does not wait out its own previous life.
/// </summary>
public sealed class LeaderElector
{
    private readonly IStateDatabase _database;

    public LeaderElector(IStateDatabase database, IOptions<StateStoreOptions> options, TimeProvider time, ILogger<LeaderElector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        Time = time;
        Logger = logger;
        LeaseDuration = options.Value.LeaderLeaseDuration;
        RenewInterval = options.Value.LeaderRenewInterval;
        Identity = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    /// <summary>This process's name as a holder: host, process id and a random part (two electors never share one).</summary>
    public string Identity { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal TimeSpan LeaseDuration { get; }

    internal TimeSpan RenewInterval { get; }

    internal string Provider => _database.Provider;

    /// <summary>Waits until this process leads <paramref name="name"/>, polling every renewal interval.</summary>
    public async Task<LeaderLease> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var waiting = false;
        while (true)
        {
            try
            {
                if (await TryAcquireAsync(name, cancellationToken).ConfigureAwait(false) is { } lease)
                {
                    return lease;
                }
            }
            catch (DbException ex)
            {
                StateStoreLog.ElectionFailed(Logger, name, ex.Message);
            }

            if (!waiting)
            {
                StateStoreLog.Standby(Logger, name, Identity);
                waiting = true;
            }

            await Task.Delay(RenewInterval, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The lease of <paramref name="name"/> if it is free or ran out; null while another process holds it.</summary>
    public async Task<LeaderLease?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var now = LeadershipSchema.NowMilliseconds(_database.Provider);
        var onlyWhenFree = _database.Provider == StateProviders.PostgreSql
            ? $" WHERE leader_leases.expires_ms < {now} OR leader_leases.holder = excluded.holder"
            : string.Empty;
        var sent = Time.GetTimestamp();
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateSql.Command(connection, $"""
                INSERT INTO leader_leases (name, holder, epoch, expires_ms) VALUES (@name, @holder, 1, {now} + @ttl)
                ON CONFLICT (name) DO UPDATE
                  SET holder = excluded.holder, epoch = leader_leases.epoch + 1, expires_ms = excluded.expires_ms{onlyWhenFree}
                RETURNING epoch
                """);
            await using (command.ConfigureAwait(false))
            {
                command.Add("@name", name);
                command.Add("@holder", Identity);
                command.Add("@ttl", (long)LeaseDuration.TotalMilliseconds);
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not { } epoch)
                {
                    return null;
                }

                var lease = new LeaderLease(this, name, Identity, Convert.ToInt64(epoch, CultureInfo.InvariantCulture), sent);
                StateStoreLog.Elected(Logger, name, Identity, lease.Epoch);
                return lease;
            }
        }
    }

    internal async Task<bool> RenewAsync(LeaderLease lease, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateSql.Command(
                connection,
                $"UPDATE leader_leases SET expires_ms = {LeadershipSchema.NowMilliseconds(_database.Provider)} + @ttl WHERE name = @name AND holder = @holder AND epoch = @epoch");
            await using (command.ConfigureAwait(false))
            {
                command.CommandTimeout = Math.Max(1, (int)LeaseDuration.TotalSeconds);
                command.Add("@ttl", (long)LeaseDuration.TotalMilliseconds);
                command.Add("@name", lease.Name);
                command.Add("@holder", lease.Holder);
                command.Add("@epoch", lease.Epoch);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }
        }
    }

    /// <summary>Gives the lease up (its epoch stays, so the next holder's is higher).</summary>
    internal async Task ReleaseAsync(LeaderLease lease)
    {
        try
        {
            var connection = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var command = StateSql.Command(connection, "UPDATE leader_leases SET expires_ms = 0 WHERE name = @name AND holder = @holder AND epoch = @epoch");
                await using (command.ConfigureAwait(false))
                {
                    command.Add("@name", lease.Name);
                    command.Add("@holder", lease.Holder);
                    command.Add("@epoch", lease.Epoch);
                    await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            StateStoreLog.Released(Logger, lease.Name, lease.Epoch);
        }
        catch (DbException ex)
        {
            // the lease runs out by itself
            StateStoreLog.ElectionFailed(Logger, lease.Name, ex.Message);
        }
    }
}
