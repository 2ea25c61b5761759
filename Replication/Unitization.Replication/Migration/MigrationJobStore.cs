using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Unitization.StateStore;

namespace Unitization.Replication.Migration;

/// <summary>
/// API migrations in the state store (<c>replication_migrations</c>: id, the spec and its latest progress as JSON), so
/// <c>GET /api/v1/migrations</c> lists them after a restart and the unfinished ones resume when the service starts.
/// </summary>
internal sealed class MigrationJobStore(IStateDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Job(MigrationSpec Spec, MigrationProgress Progress);

    public async Task SaveAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO replication_migrations (id, json, updated_at) VALUES ($id, $json, $at)
            ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
            """;
        Add(command, "$id", job.Spec.Id);
        Add(command, "$json", JsonSerializer.Serialize(job, Json));
        Add(command, "$at", job.Progress.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored job; a row that no longer reads as a job is skipped (and named in <paramref name="unreadable"/>).</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(Action<string, string>? unreadable, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, json FROM replication_migrations ORDER BY id";
        var jobs = new List<Job>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            try
            {
                if (JsonSerializer.Deserialize<Job>(reader.GetString(1), Json) is { Spec: not null, Progress: not null } job)
                {
                    jobs.Add(job);
                    continue;
                }

                unreadable?.Invoke(id, "empty");
            }
            catch (JsonException ex)
            {
                unreadable?.Invoke(id, ex.Message);
            }
        }

        return jobs;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
