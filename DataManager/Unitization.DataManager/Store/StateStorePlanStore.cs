using System.Globalization;
using System.Text.Json;
using Unitization.DataManager.Plans;
using Unitization.StateStore;

namespace Unitization.DataManager.Store;

internal sealed class StateStorePlanStore(IStateDatabase database) : IPlanStore
{
    public async Task<long> SaveAsync(PlacementPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.Provider == StateProviders.PostgreSql)
        {
            // two instances saving at once would both read the same max(version): the second waits for the first
            await using var serialize = StateSql.Command(connection, "LOCK TABLE dm_plans IN SHARE ROW EXCLUSIVE MODE", transaction);
            await serialize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var next = connection.CreateCommand())
        {
            next.Transaction = transaction;
            next.CommandText = "SELECT coalesce(max(version), 0) + 1 FROM dm_plans";
            plan.Version = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO dm_plans (version, created_at, jobs, datasets, cross_dc_bytes_per_day, plan_json) VALUES (@v, @at, @jobs, @datasets, @cross, @json)";
            var p = StateStoreLineageStore.Parameters(insert, "@v", "@at", "@jobs", "@datasets", "@cross", "@json");
            (p[0].Value, p[1].Value, p[2].Value) = (plan.Version, plan.CreatedAt.ToString("O", CultureInfo.InvariantCulture), plan.Jobs.Count);
            (p[3].Value, p[4].Value, p[5].Value) = (plan.Datasets.Count, plan.Summary.CrossDcBytesPerDay, JsonSerializer.Serialize(plan, PlacementPlan.Json));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return plan.Version;
    }

    public async Task<PlacementPlan?> GetAsync(long? version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = version is null
            ? "SELECT plan_json FROM dm_plans ORDER BY version DESC LIMIT 1"
            : "SELECT plan_json FROM dm_plans WHERE version = @v";
        if (version is not null)
        {
            StateStoreLineageStore.Parameters(select, "@v")[0].Value = version.Value;
        }

        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<PlacementPlan>(json, PlacementPlan.Json)
            : null;
    }
}
