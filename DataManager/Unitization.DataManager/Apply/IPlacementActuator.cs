namespace Unitization.DataManager.Apply;

/// <summary>
/// The port through which a plan change acts on the world: where a dataset lives (its path), which copies readers are
/// served now (the mount table), bootstrap copies through the link budget (Replication's migrations at Low priority),
/// mount updates, a primary move (a copy, then the switch) and retirement through the replica lifecycle. The
/// composition root wires it when the datamanager, replicator and router roles share a process.
/// </summary>
public interface IPlacementActuator
{
    /// <summary>The dataset's path in every datacenter (the metastore's location, else the configured template), or null.</summary>
    Task<string?> PathOfAsync(string datasetNamespace, string datasetName, CancellationToken cancellationToken);

    /// <summary>The copies of a mount at exactly <paramref name="path"/>; for a path under a wider mount, its primary alone; null when no mount covers it.</summary>
    DatasetCopies? CopiesOf(string path);

    /// <summary>The bytes under <paramref name="path"/> in a datacenter, or null when nothing is there.</summary>
    Task<long?> SizeAsync(string datacenter, string path, CancellationToken cancellationToken);

    /// <summary>The configured rate of the link from one datacenter to another, or null when none is configured.</summary>
    long? LinkBytesPerSecond(string from, string to);

    /// <summary>Copies <paramref name="path"/> from one datacenter to another (a snapshot migration at Low priority) and tracks the copy as a replica of the dataset.</summary>
    Task CopyAsync(string from, string path, string to, string dataset, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>Puts the mirrored mount at <paramref name="path"/>: the primary first, then the replicas.</summary>
    Task SetMountAsync(string path, string primary, IReadOnlyList<string> replicas, CancellationToken cancellationToken);

    /// <summary>Moves the primary: writes held back, the new copy caught up by migration, then the mount switched.</summary>
    Task MovePrimaryAsync(string path, string from, string to, IReadOnlyList<string> replicas, string dataset, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>Hands a replica no mount serves any more to the replica lifecycle, which deletes it after its grace period.</summary>
    Task RetireAsync(string path, string datacenter, string dataset, CancellationToken cancellationToken);
}
