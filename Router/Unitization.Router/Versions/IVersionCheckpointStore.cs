namespace Unitization.Router.Versions;

/// <summary>Where the version service keeps one checkpoint per namespace (the state store in a running router).</summary>
internal interface IVersionCheckpointStore
{
    Task<VersionCheckpoint?> LoadAsync(string datacenter, CancellationToken cancellationToken);

    /// <summary>Replaces the namespace's checkpoint.</summary>
    Task SaveAsync(VersionCheckpoint checkpoint, CancellationToken cancellationToken);
}
