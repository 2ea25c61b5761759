using Unitization.DataManager.Plans;

namespace Unitization.DataManager.Store;

/// <summary>Placement plans, versioned; every version is kept.</summary>
internal interface IPlanStore
{
    /// <summary>Stores the plan as the next version and returns that version (also set on the plan).</summary>
    Task<long> SaveAsync(PlacementPlan plan, CancellationToken cancellationToken);

    Task<PlacementPlan?> GetAsync(long? version, CancellationToken cancellationToken);
}
