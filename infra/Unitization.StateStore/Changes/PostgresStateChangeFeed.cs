using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Unitization.StateStore.Changes;

/// <summary>
/// The fleet's feed: <c>NOTIFY unitization_&lt;kind&gt;</c> after a change commits, and in every process one connection
/// of its own that LISTENs on each subscribed kind's channel. Notices are handed to a dispatcher (never handled on the
/// connection's read path), repeated notices of a kind that is already waiting fold into one reload. When the
/// connection breaks it is opened again after <see cref="ReconnectDelay"/>, and every subscriber reloads, since notices
/// sent meanwhile are gone.
/// </summary>
internal sealed class PostgresStateChangeFeed : BackgroundService, IStateChangeFeed
{
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long one wait for notices lasts before the listener looks for newly subscribed kinds.</summary>
    private static readonly TimeSpan PollSubscriptions = TimeSpan.FromMilliseconds(500);

    private readonly PostgresStateDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StateChangeSubscribers _subscribers;
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly Lock _queuedLock = new();

    public PostgresStateChangeFeed(PostgresStateDatabase database, TimeProvider time, ILogger<PostgresStateChangeFeed> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        _subscribers = new StateChangeSubscribers(logger);
    }

    public async Task PublishAsync(string kind, CancellationToken cancellationToken)
    {
        var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = StateSql.Command(connection, "SELECT pg_notify(@channel, @payload)");
            await using (command.ConfigureAwait(false))
            {
                command.Add("@channel", StateChangeKinds.Channel(kind));
                command.Add("@payload", kind);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public IDisposable Subscribe(string kind, Func<CancellationToken, Task> reload) => _subscribers.Add(kind, reload);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dispatcher = DispatchAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ListenAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    StateStoreLog.ChangeFeedBroken(_logger, ex.Message, ReconnectDelay);
                    await Task.Delay(ReconnectDelay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _pending.Writer.TryComplete();
        await dispatcher.ConfigureAwait(false);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connection = await _database.DataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, e) => Enqueue(e.Payload);
            var listening = new HashSet<string>(StringComparer.Ordinal);
            await ListenToNewKindsAsync(connection, listening, stoppingToken).ConfigureAwait(false);

            // anything announced while this process was not listening is only in the store: reload it all
            foreach (var kind in listening)
            {
                Enqueue(kind);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(PollSubscriptions, stoppingToken).ConfigureAwait(false);
                foreach (var kind in await ListenToNewKindsAsync(connection, listening, stoppingToken).ConfigureAwait(false))
                {
                    Enqueue(kind);
                }
            }
        }
    }

    private async Task<IReadOnlyList<string>> ListenToNewKindsAsync(NpgsqlConnection connection, HashSet<string> listening, CancellationToken cancellationToken)
    {
        var added = _subscribers.Kinds.Where(k => !listening.Contains(k)).ToList();
        foreach (var kind in added)
        {
            // a channel name is an identifier: kinds are our own constants, quoted all the same
            await using var listen = new NpgsqlCommand($"LISTEN \"{StateChangeKinds.Channel(kind).Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            listening.Add(kind);
        }

        return added;
    }

    private void Enqueue(string kind)
    {
        lock (_queuedLock)
        {
            if (!_queued.Add(kind))
            {
                return; // a reload of this kind is already waiting: it will read this change too
            }
        }

        _pending.Writer.TryWrite(kind);
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var kind in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                lock (_queuedLock)
                {
                    _queued.Remove(kind);
                }

                await _subscribers.ReloadAsync(kind, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
