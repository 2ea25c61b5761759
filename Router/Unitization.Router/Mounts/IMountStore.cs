namespace Unitization.Router.Mounts;

/// <summary>Mounts added through the admin API, kept in the state store so every router instance and restart sees them.</summary>
internal interface IMountStore
{
    Task<IReadOnlyList<MountOptions>> ListAsync(CancellationToken cancellationToken);

    Task PutAsync(MountOptions mount, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Returns false when no stored mount has the path.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);
}
