namespace Unitization.DataManager.Apply;

/// <summary>The applied placement, per dataset, in the state store (<c>dm_applied_datasets</c>).</summary>
internal interface IAppliedPlacementStore
{
    Task<IReadOnlyList<AppliedDataset>> ListAsync(CancellationToken cancellationToken);

    Task SaveAsync(AppliedDataset dataset, CancellationToken cancellationToken);
}
