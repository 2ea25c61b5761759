using Unitization.DataManager.Lineage;
using Unitization.DataManager.Placement;

namespace Unitization.DataManager.Plans;

/// <summary>
/// The one placement use case, for <c>unitization place</c> and the service's refresh alike: a lineage window and the
/// plan in force (if any) in, the next plan out. Primaries are pinned where the data is written today: the plan in
/// force's primary for every dataset it knows, the configured <see cref="SourcePrimary"/> for a dataset no job writes.
/// </summary>
internal static class PlanComputation
{
    public static PlacementPlan Compute(LineageSnapshot lineage, PlanSettings settings, PlacementPlan? previous, TimeProvider time,
        IProgress<PlacementProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var before = previous is null ? null : PlanBuilder.Previous(previous);
        var problem = Problem(lineage, settings, before);
        var result = PlacementEngine.Place(problem, settings.Placement, before, progress, cancellationToken);
        var plan = PlanBuilder.Build(result, time.GetUtcNow(), time.GetElapsedTime(started).TotalSeconds);
        plan.Version = (previous?.Version ?? 0) + 1;
        return plan;
    }

    /// <summary>The placement problem of a lineage under these settings, primaries pinned as the plan would pin them.</summary>
    public static PlacementProblem Problem(LineageSnapshot lineage, PlanSettings settings, PreviousPlacement? before)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(settings);
        var problem = new PlacementProblem(lineage, settings.Datacenters, settings.Shares, settings.Eps);
        Pin(problem, settings.SourcePrimaries, before);
        return problem;
    }

    private static void Pin(PlacementProblem problem, IReadOnlyList<SourcePrimary> sources, PreviousPlacement? previous)
    {
        var index = problem.Datacenters.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            var dataset = problem.Lineage.Datasets[x];
            if (previous is not null && previous.Primaries.TryGetValue(dataset, out var primary) && index.TryGetValue(primary, out var d))
            {
                problem.PinnedPrimary[x] = d;
            }
            else if (!problem.IsWritten(x)
                && sources.FirstOrDefault(s => s.Matches(dataset.Namespace, dataset.Name)) is { } source
                && index.TryGetValue(source.Datacenter, out var sd))
            {
                problem.PinnedPrimary[x] = sd;
            }
        }
    }
}
