using System.Data.Common;
using System.Globalization;
using Unitization.Replication.Versions;
using Unitization.StateStore;

namespace Unitization.Replication.Lifecycle;

/// <summary>
/// The replicas the workers published (<c>replication_replicas</c>) and the lifecycle's history
/// (<c>replication_lifecycle</c>): what <see cref="ReplicaLifecycle"/> sweeps and <c>GET /api/v1/replicas</c> shows.
/// </summary>
internal sealed class ReplicaRegistry(IStateDatabase database)
{
    private const string Columns = "datacenter, path, dataset, state, committed_at, unruled_since, retired_at, reason";

    /// <summary>
    /// Records that <paramref name="path"/> in <paramref name="datacenter"/> holds a replica of <paramref name="dataset"/>,
    /// active again whatever it was; <paramref name="committedAt"/> null keeps the last commit time (a replica found fresh).
    /// </summary>
    public async Task TrackAsync(string datacenter, string path, string dataset, DateTimeOffset? committedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO replication_replicas (datacenter, path, dataset, state, committed_at)
            VALUES (@dc, @path, @dataset, 'active', @at)
            ON CONFLICT (datacenter, path) DO UPDATE
              SET dataset = excluded.dataset, state = 'active', unruled_since = NULL, retired_at = NULL, reason = NULL,
                  committed_at = CASE WHEN @keep AND replication_replicas.state <> 'retired' THEN replication_replicas.committed_at ELSE excluded.committed_at END
            """;
        command.Add("@dc", datacenter);
        command.Add("@path", ReplicaPath.Normalize(path));
        command.Add("@dataset", dataset.ToLowerInvariant());
        command.Add("@at", Format(committedAt ?? now));
        command.Add("@keep", committedAt is null);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replicas, optionally of one datacenter and in one state, by datacenter and path.</summary>
    public async Task<IReadOnlyList<ReplicaRecord>> ListAsync(string? datacenter, ReplicaState? state, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM replication_replicas
            WHERE (CAST(@dc AS TEXT) IS NULL OR datacenter = @dc) AND (CAST(@state AS TEXT) IS NULL OR state = @state)
            ORDER BY datacenter, path
            """;
        command.Add("@dc", (object?)datacenter ?? DBNull.Value);
        command.Add("@state", state is { } s ? Name(s) : DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ReplicaRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read(reader));
        }

        return result;
    }

    /// <summary>Its dataset left the rules at <paramref name="since"/>: expiring.</summary>
    public Task MarkExpiringAsync(string datacenter, string path, DateTimeOffset since, CancellationToken cancellationToken) =>
        SetStateAsync(datacenter, path, ReplicaState.Expiring, since, cancellationToken);

    /// <summary>Its dataset is back in the rules: active, the grace period's clock stopped.</summary>
    public Task MarkActiveAsync(string datacenter, string path, CancellationToken cancellationToken) =>
        SetStateAsync(datacenter, path, ReplicaState.Active, null, cancellationToken);

    /// <summary>The replica at <paramref name="path"/> and every one below it were deleted at <paramref name="at"/>.</summary>
    public async Task MarkRetiredAsync(string datacenter, string path, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        var normalized = ReplicaPath.Normalize(path);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE replication_replicas SET state = 'retired', retired_at = @at, reason = @reason
            WHERE datacenter = @dc AND state <> 'retired'
              AND (@path = '/' OR path = @path OR substr(path, 1, length(@path) + 1) = @path || '/')
            """;
        command.Add("@dc", datacenter);
        command.Add("@path", normalized);
        command.Add("@at", Format(at));
        command.Add("@reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends to the lifecycle's history (<c>replication_lifecycle</c>).</summary>
    public async Task AppendHistoryAsync(string action, string datacenter, string path, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO replication_lifecycle (at, action, datacenter, path, reason) VALUES (@at, @action, @dc, @path, @reason)";
        command.Add("@at", Format(at));
        command.Add("@action", action);
        command.Add("@dc", datacenter);
        command.Add("@path", ReplicaPath.Normalize(path));
        command.Add("@reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lifecycle's history, newest first.</summary>
    public async Task<IReadOnlyList<LifecycleEntry>> HistoryAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, action, datacenter, path, reason FROM replication_lifecycle ORDER BY id DESC LIMIT @limit";
        command.Add("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<LifecycleEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new LifecycleEntry(Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return result;
    }

    public static string Name(ReplicaState state) => state switch
    {
        ReplicaState.Active => "active",
        ReplicaState.Expiring => "expiring",
        _ => "retired",
    };

    private async Task SetStateAsync(string datacenter, string path, ReplicaState state, DateTimeOffset? unruledSince, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE replication_replicas SET state = @state, unruled_since = @since WHERE datacenter = @dc AND path = @path AND state <> 'retired'";
        command.Add("@dc", datacenter);
        command.Add("@path", ReplicaPath.Normalize(path));
        command.Add("@state", Name(state));
        command.Add("@since", unruledSince is { } s ? Format(s) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ReplicaRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3) switch
        {
            "active" => ReplicaState.Active,
            "expiring" => ReplicaState.Expiring,
            _ => ReplicaState.Retired,
        },
        Parse(reader.GetString(4)),
        reader.IsDBNull(5) ? null : Parse(reader.GetString(5)),
        reader.IsDBNull(6) ? null : Parse(reader.GetString(6)),
        reader.IsDBNull(7) ? null : reader.GetString(7));

    private static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
