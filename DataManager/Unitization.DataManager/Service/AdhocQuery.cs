using Unitization.DataManager.Lineage;
using Unitization.DataManager.Readiness;

namespace Unitization.DataManager.Service;

/// <summary>
/// <c>POST /api/v1/placement/adhoc</c>: for input datasets or warehouse paths, the datacenter that holds most of their
/// bytes (daily bytes as the size measure) in a copy that is fresh (when a freshness source is wired; otherwise as
/// planned). Paths map to Hive tables by the locations the metastore reported (or the router's path templates, e.g.
/// <c>/warehouse/{database}/{table}</c>), by the warehouse layout <c>.../db.db/table/...</c>, or to a dataset named by a
/// path prefix.
/// </summary>
internal sealed class AdhocQuery(PlanService plans, IDatasetFreshness? freshness)
{
    public async Task<AdhocAnswer> AnswerAsync(AdhocRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = await plans.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var fallback = plans.Options.DefaultDatacenterId;
        var datacenters = plans.Options.Datacenters.Select(d => d.Id).ToList();
        var bytes = datacenters.ToDictionary(d => d, _ => 0.0, StringComparer.Ordinal);
        var matched = new List<AdhocDataset>();
        var unmatched = new List<string>();
        var wanted = new List<(DatasetRef Dataset, string Asked)>();
        foreach (var d in request.Datasets ?? [])
        {
            wanted.Add((new DatasetRef(d.Namespace, d.Name), $"{d.Namespace}/{d.Name}"));
        }

        foreach (var path in request.Paths ?? [])
        {
            if (index is not null && (await LocatedAsync(index, path, cancellationToken).ConfigureAwait(false) ?? Resolve(index, path)) is { } dataset)
            {
                wanted.Add((dataset, path));
            }
            else
            {
                unmatched.Add(path);
            }
        }

        foreach (var (dataset, asked) in wanted)
        {
            if (index is null || !index.Datasets.TryGetValue(dataset, out var planned))
            {
                unmatched.Add(asked);
                continue;
            }

            var holders = new List<string>();
            foreach (var dc in planned.Replicas.Prepend(planned.Primary))
            {
                // the plan's primary is asked too, as the job endpoint asks: the copy the router serves as primary
                // may still be elsewhere (a plan not applied yet), and then the plan's primary is not fresh
                if (freshness is null || await IsFreshOrUnknownAsync(freshness, dataset, dc, cancellationToken).ConfigureAwait(false))
                {
                    holders.Add(dc);
                    bytes[dc] = bytes.GetValueOrDefault(dc) + Math.Max(1, planned.DailyBytes);
                }
            }

            matched.Add(new AdhocDataset(dataset.Namespace, dataset.Name, planned.DailyBytes, holders));
        }

        var best = matched.Count == 0 ? fallback : bytes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key == fallback ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
        return new AdhocAnswer(best, index?.Plan.Version, freshness is null ? "planned" : "fresh", bytes, matched, unmatched,
            matched.Count == 0 ? "no input is known to the plan: default datacenter" : $"{best} holds the most input bytes");
    }

    /// <summary>The plan's Hive table at the path by the metastore's locations (or the path templates), when a freshness source knows them.</summary>
    private async Task<DatasetRef?> LocatedAsync(PlanIndex index, string path, CancellationToken cancellationToken)
    {
        if (freshness is null || await freshness.TableAtAsync(path, cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return null;
        }

        var hit = index.Datasets.Keys.FirstOrDefault(d => string.Equals(d.Name, table, StringComparison.OrdinalIgnoreCase) && d.Namespace.StartsWith("hive", StringComparison.Ordinal));
        return hit == default ? null : hit;
    }

    internal static DatasetRef? Resolve(PlanIndex index, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (parts[i].EndsWith(".db", StringComparison.Ordinal) && parts[i].Length > 3)
            {
                var name = $"{parts[i][..^3]}.{parts[i + 1]}";
                var hit = index.Datasets.Keys.FirstOrDefault(d => d.Name == name && d.Namespace.StartsWith("hive", StringComparison.Ordinal));
                if (hit != default)
                {
                    return hit;
                }
            }
        }

        var trimmed = path.TrimEnd('/');
        return index.Datasets.Keys
            .Where(d => d.Name.StartsWith('/') && (trimmed == d.Name.TrimEnd('/') || trimmed.StartsWith(d.Name.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .OrderByDescending(d => d.Name.Length)
            .Select(d => (DatasetRef?)d)
            .FirstOrDefault();
    }

    /// <summary>Fresh, or unknown because no router answers: then the plan is taken at its word, as with no freshness source.</summary>
    private static async Task<bool> IsFreshOrUnknownAsync(IDatasetFreshness freshness, DatasetRef dataset, string datacenter, CancellationToken cancellationToken)
    {
        try
        {
            return await freshness.IsFreshAsync(dataset.Namespace, dataset.Name, datacenter, cancellationToken).ConfigureAwait(false);
        }
        catch (FreshnessUnavailableException)
        {
            return true;
        }
    }
}

internal sealed record AdhocRequest(IReadOnlyList<DatasetName>? Datasets, IReadOnlyList<string>? Paths);

internal sealed record AdhocDataset(string Namespace, string Name, double DailyBytes, IReadOnlyList<string> FreshIn);

internal sealed record AdhocAnswer(string Datacenter, long? PlanVersion, string Basis, IReadOnlyDictionary<string, double> BytesByDatacenter, IReadOnlyList<AdhocDataset> Datasets, IReadOnlyList<string> Unmatched, string Message);
