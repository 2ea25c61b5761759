using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Apply;

/// <summary>
/// The changes that take the world from what is applied to the plan: per dataset, a primary move when the plan's
/// primary is not the applied one, a bootstrap copy for each planned replica not held yet, and a retirement for each
/// held copy the plan dropped (the old primary too, after a move, unless the plan keeps it as a replica). A dataset
/// never applied starts from the mount table (a mount at its path: its destinations; under a wider mount: its primary).
/// </summary>
internal static class PlacementDiff
{
    public static async Task<PlacementChanges> ComputeAsync(
        PlacementPlan plan, IReadOnlyList<AppliedDataset> applied, IPlacementActuator actuator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(actuator);
        var done = applied.ToDictionary(a => (a.Namespace, a.Name));
        var changes = new List<PlacementChange>();
        var unmapped = new List<string>();
        foreach (var d in plan.Datasets.OrderBy(d => d.Namespace, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            var (path, now) = await CurrentAsync(d, done.GetValueOrDefault((d.Namespace, d.Name)), actuator, cancellationToken).ConfigureAwait(false);
            if (path is null || now is null)
            {
                unmapped.Add($"{d.Namespace}/{d.Name}");
                continue;
            }

            var bytes = now.Primary == d.Primary && !d.Replicas.Except(now.Replicas).Any()
                ? null
                : await actuator.SizeAsync(now.Primary, path, cancellationToken).ConfigureAwait(false);
            if (d.Primary != now.Primary)
            {
                changes.Add(Change(PlacementChangeKind.MovePrimary, d, path, now.Primary, d.Primary, bytes, actuator));
                if (!d.Replicas.Contains(now.Primary))
                {
                    changes.Add(Change(PlacementChangeKind.RetireReplica, d, path, now.Primary, now.Primary, 0, actuator));
                }
            }

            foreach (var dc in d.Replicas.Where(r => r != now.Primary && !now.Replicas.Contains(r)))
            {
                changes.Add(Change(PlacementChangeKind.AddReplica, d, path, d.Primary, dc, bytes, actuator));
            }

            foreach (var dc in now.Replicas.Where(r => r != d.Primary && !d.Replicas.Contains(r)))
            {
                changes.Add(Change(PlacementChangeKind.RetireReplica, d, path, dc, dc, 0, actuator));
            }
        }

        var ordered = changes.OrderBy(c => PlacementChangeKind.Order(c.Kind)).ToList();
        return new PlacementChanges(plan.Version, ordered, ordered.Sum(c => c.Bytes ?? 0), Math.Round(ordered.Sum(c => c.EstimatedSeconds ?? 0), 1), unmapped);
    }

    /// <summary>The dataset's path and its copies now: as last applied, else as the mount table serves it.</summary>
    public static async Task<(string? Path, DatasetCopies? Copies)> CurrentAsync(
        PlanDataset dataset, AppliedDataset? applied, IPlacementActuator actuator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(actuator);
        if (applied is not null)
        {
            return (applied.Path, new DatasetCopies(applied.Primary, applied.Replicas));
        }

        var path = await actuator.PathOfAsync(dataset.Namespace, dataset.Name, cancellationToken).ConfigureAwait(false);
        return path is null ? (null, null) : (path, actuator.CopiesOf(path));
    }

    public static string IdOf(string kind, string datasetNamespace, string datasetName, string datacenter) => $"{kind}:{datasetNamespace}/{datasetName}:{datacenter}";

    private static PlacementChange Change(string kind, PlanDataset d, string path, string from, string to, long? bytes, IPlacementActuator actuator)
    {
        var rate = kind == PlacementChangeKind.RetireReplica ? null : actuator.LinkBytesPerSecond(from, to);
        double? seconds = kind == PlacementChangeKind.RetireReplica ? 0 : bytes is { } b && rate is > 0 ? Math.Round((double)b / rate.Value, 1) : null;
        return new PlacementChange(IdOf(kind, d.Namespace, d.Name, to), kind, d.Namespace, d.Name, path, from, to, bytes, seconds);
    }
}
