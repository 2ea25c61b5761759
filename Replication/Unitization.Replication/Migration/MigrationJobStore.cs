using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Unitization.StateStore;

namespace Unitization.Replication.Migration;

/// <summary>
/// API migrations in the state store (<c>replication_migrations</c>: id, the spec and its latest progress as JSON, the
/// owner running it and when its lease runs out), so <c>GET /api/v1/migrations</c> lists them after a restart and on
/// every instance, and one instance at a time runs each: the owner renews its lease, another takes over a job whose
/// lease ran out, and an owner whose lease was taken writes nothing more (its saves and renewals match no row).
/// </summary>
internal sealed class MigrationJobStore(IStateDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Job(MigrationSpec Spec, MigrationProgress Progress);

    /// <summary>A stored job with its owner (null: nobody runs it) and the end of the owner's lease.</summary>
    public sealed record Owned(Job Job, string? Owner, DateTimeOffset? LeaseUntil);

    /// <summary>
    /// Stores the job's progress as <paramref name="owner"/> (null: unowned, for any writer to take); returns false, changing
    /// nothing, when another owner holds it.
    /// </summary>
    public async Task<bool> SaveAsync(Job job, string? owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO replication_migrations (id, json, updated_at, owner, lease_until) VALUES (@id, @json, @at, @owner, @until)
            ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
            WHERE replication_migrations.owner IS NULL OR replication_migrations.owner = excluded.owner
            """;
        Add(command, "@id", job.Spec.Id);
        Add(command, "@json", JsonSerializer.Serialize(job, Json));
        Add(command, "@at", Text(job.Progress.UpdatedAt));
        Add(command, "@owner", (object?)owner ?? DBNull.Value);
        Add(command, "@until", owner is null ? DBNull.Value : Text(leaseUntil));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Makes <paramref name="owner"/> the job's owner until <paramref name="leaseUntil"/> when nobody owns it, it owns it
    /// already (a renewal), or the owner's lease ran out before <paramref name="now"/>; false when another owner holds it.
    /// </summary>
    public async Task<bool> ClaimAsync(string id, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE replication_migrations SET owner = @owner, lease_until = @until
            WHERE id = @id AND (owner IS NULL OR owner = @owner OR lease_until IS NULL OR lease_until < @now)
            """;
        Add(command, "@id", id);
        Add(command, "@owner", owner);
        Add(command, "@until", Text(leaseUntil));
        Add(command, "@now", Text(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives the job up (a clean stop): the next writer takes it over without waiting for the lease.</summary>
    public async Task ReleaseAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE replication_migrations SET owner = NULL, lease_until = NULL WHERE id = @id AND owner = @owner";
        Add(command, "@id", id);
        Add(command, "@owner", owner);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored job; a row that no longer reads as a job is skipped (and named in <paramref name="unreadable"/>).</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(Action<string, string>? unreadable, CancellationToken cancellationToken) =>
        (await ListOwnedAsync(unreadable, cancellationToken).ConfigureAwait(false)).Select(o => o.Job).ToList();

    /// <summary>Every stored job with its owner and lease; a row that no longer reads as a job is skipped (and named in <paramref name="unreadable"/>).</summary>
    public async Task<IReadOnlyList<Owned>> ListOwnedAsync(Action<string, string>? unreadable, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, json, owner, lease_until FROM replication_migrations ORDER BY id";
        var jobs = new List<Owned>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            try
            {
                if (JsonSerializer.Deserialize<Job>(reader.GetString(1), Json) is { Spec: not null, Progress: not null } job)
                {
                    var owner = reader.IsDBNull(2) ? null : reader.GetString(2);
                    DateTimeOffset? until = reader.IsDBNull(3) ? null : DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                    jobs.Add(new Owned(job, owner, until));
                    continue;
                }

                unreadable?.Invoke(id, "empty");
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                unreadable?.Invoke(id, ex.Message);
            }
        }

        return jobs;
    }

    /// <summary>UTC in a fixed-width form, so the database compares leases as text in time order.</summary>
    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
