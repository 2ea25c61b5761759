using System.Data.Common;
using System.Globalization;
using Unitization.DataManager.Lineage;
using Unitization.StateStore;

namespace Unitization.DataManager.Store;

internal sealed class StateStoreLineageStore(IStateDatabase database) : ILineageStore
{
    public async Task AppendAsync(LineageAccumulator lineage, CancellationToken cancellationToken) =>
        await AppendAsync(lineage, [], default, cancellationToken).ConfigureAwait(false);

    public async Task<bool> AppendAsync(LineageAccumulator lineage, IReadOnlyCollection<string> runKeys, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(runKeys);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var seen = connection.CreateCommand())
        {
            seen.Transaction = transaction;
            seen.CommandText = "INSERT INTO dm_lineage_seen_runs (run_key, seen_at) VALUES (@key, @at) ON CONFLICT (run_key) DO NOTHING";
            var p = Parameters(seen, "@key", "@at");
            p[1].Value = at.ToString("O", CultureInfo.InvariantCulture);
            foreach (var key in runKeys)
            {
                p[0].Value = key;
                if (await seen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return false;
                }
            }
        }

        await using (var io = connection.CreateCommand())
        {
            io.Transaction = transaction;
            io.CommandText = """
                INSERT INTO dm_lineage_io (day, job_namespace, job_name, dag, dataset_namespace, dataset_name, direction, bytes)
                VALUES (@day, @jns, @jname, @dag, @dns, @dname, @dir, @bytes)
                ON CONFLICT (day, job_namespace, job_name, dataset_namespace, dataset_name, direction)
                DO UPDATE SET bytes = dm_lineage_io.bytes + excluded.bytes, dag = excluded.dag
                """;
            var p = Parameters(io, "@day", "@jns", "@jname", "@dag", "@dns", "@dname", "@dir", "@bytes");
            foreach (var row in lineage.DailyIo())
            {
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value) = (Day(row.Day), row.Job.Namespace, row.Job.Name, row.Dag);
                (p[4].Value, p[5].Value, p[6].Value, p[7].Value) = (row.Dataset.Namespace, row.Dataset.Name, row.Write ? "write" : "read", row.Bytes);
                await io.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var runs = connection.CreateCommand())
        {
            runs.Transaction = transaction;
            runs.CommandText = """
                INSERT INTO dm_lineage_runs (day, job_namespace, job_name, dag, runs) VALUES (@day, @jns, @jname, @dag, @runs)
                ON CONFLICT (day, job_namespace, job_name) DO UPDATE SET runs = dm_lineage_runs.runs + excluded.runs, dag = excluded.dag
                """;
            var p = Parameters(runs, "@day", "@jns", "@jname", "@dag", "@runs");
            foreach (var row in lineage.DailyRuns())
            {
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value) = (Day(row.Day), row.Job.Namespace, row.Job.Name, row.Dag, row.Runs);
                await runs.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlySet<string>> SeenRunsAsync(IReadOnlyCollection<string> runKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runKeys);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (runKeys.Count == 0)
        {
            return seen;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM dm_lineage_seen_runs WHERE run_key = @key";
        var p = Parameters(command, "@key");
        foreach (var key in runKeys)
        {
            p[0].Value = key;
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                seen.Add(key);
            }
        }

        return seen;
    }

    public async Task AnnounceDatasetsAsync(IReadOnlyCollection<DatasetRef> datasets, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dm_lineage_datasets (namespace, name, first_seen, last_seen) VALUES (@ns, @name, @at, @at)
            ON CONFLICT (namespace, name) DO UPDATE SET last_seen = excluded.last_seen
            """;
        var p = Parameters(command, "@ns", "@name", "@at");
        p[2].Value = at.ToString("O", CultureInfo.InvariantCulture);
        foreach (var dataset in datasets)
        {
            (p[0].Value, p[1].Value) = (dataset.Namespace, dataset.Name);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<DatasetRef>> AnnouncedDatasetsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT namespace, name FROM dm_lineage_datasets ORDER BY namespace, name";
        var datasets = new List<DatasetRef>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            datasets.Add(new DatasetRef(reader.GetString(0), reader.GetString(1)));
        }

        return datasets;
    }

    public async Task<LineageSnapshot> LoadAsync(int windowDays, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        string? last;
        await using (var max = connection.CreateCommand())
        {
            max.CommandText = "SELECT max(day) FROM (SELECT max(day) AS day FROM dm_lineage_io UNION ALL SELECT max(day) FROM dm_lineage_runs) AS latest";
            last = await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        if (last is null)
        {
            return LineageSnapshot.Empty;
        }

        var cutoff = Day(DateOnly.ParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1 - windowDays));
        var accumulator = new LineageAccumulator();
        await using (var io = connection.CreateCommand())
        {
            io.CommandText = """
                SELECT day, job_namespace, job_name, dag, dataset_namespace, dataset_name, direction, bytes FROM dm_lineage_io
                WHERE day >= @cutoff ORDER BY job_namespace, job_name, dataset_namespace, dataset_name, direction, day
                """;
            Parameters(io, "@cutoff")[0].Value = cutoff;
            await using var reader = await io.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                accumulator.Add(new DailyIo(ParseDay(reader.GetString(0)), new JobRef(reader.GetString(1), reader.GetString(2)), reader.GetString(3),
                    new DatasetRef(reader.GetString(4), reader.GetString(5)), reader.GetString(6) == "write", reader.GetInt64(7)));
            }
        }

        await using (var runs = connection.CreateCommand())
        {
            runs.CommandText = "SELECT day, job_namespace, job_name, dag, runs FROM dm_lineage_runs WHERE day >= @cutoff ORDER BY job_namespace, job_name, day";
            Parameters(runs, "@cutoff")[0].Value = cutoff;
            await using var reader = await runs.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                accumulator.Add(new DailyRuns(ParseDay(reader.GetString(0)), new JobRef(reader.GetString(1), reader.GetString(2)), reader.GetString(3), reader.GetInt32(4)));
            }
        }

        return accumulator.Snapshot(windowDays);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DbParameter[] Parameters(DbCommand command, params string[] names)
    {
        var parameters = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = names[i];
            command.Parameters.Add(parameters[i]);
        }

        return parameters;
    }
}
