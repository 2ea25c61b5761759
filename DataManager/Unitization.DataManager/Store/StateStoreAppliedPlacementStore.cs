using System.Globalization;
using System.Text.Json;
using Unitization.DataManager.Apply;
using Unitization.StateStore;

namespace Unitization.DataManager.Store;

internal sealed class StateStoreAppliedPlacementStore(IStateDatabase database) : IAppliedPlacementStore
{
    public async Task<IReadOnlyList<AppliedDataset>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = StateSql.Command(
            connection,
            "SELECT namespace, name, path, primary_dc, replicas_json, plan_version, applied_at FROM dm_applied_datasets ORDER BY namespace, name");
        var list = new List<AppliedDataset>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AppliedDataset(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(4)) ?? [],
                reader.GetInt64(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    public Task SaveAsync(AppliedDataset dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return database.ExecuteAsync(
            """
            INSERT INTO dm_applied_datasets (namespace, name, path, primary_dc, replicas_json, plan_version, applied_at)
            VALUES (@ns, @name, @path, @primary, @replicas, @version, @at)
            ON CONFLICT (namespace, name) DO UPDATE SET path = excluded.path, primary_dc = excluded.primary_dc,
              replicas_json = excluded.replicas_json, plan_version = excluded.plan_version, applied_at = excluded.applied_at
            """,
            [
                ("@ns", dataset.Namespace), ("@name", dataset.Name), ("@path", dataset.Path), ("@primary", dataset.Primary),
                ("@replicas", JsonSerializer.Serialize(dataset.Replicas)), ("@version", dataset.PlanVersion),
                ("@at", dataset.AppliedAt.ToString("O", CultureInfo.InvariantCulture)),
            ],
            cancellationToken);
    }
}
