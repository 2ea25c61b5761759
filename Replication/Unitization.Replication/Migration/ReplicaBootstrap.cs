using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Lifecycle;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>
/// What applying a placement plan asks of Replication: a bootstrap copy of a dataset's existing data to a new
/// datacenter (a snapshot migration at Low priority in the link's budget, tracked as a replica of the dataset), the
/// size of a path, and handing a copy no mount serves any more to the replica lifecycle (retired after its grace
/// period once the rules no longer name its datacenter).
/// </summary>
public sealed class ReplicaBootstrap
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    private readonly MigrationService _migrations;
    private readonly ReplicaRegistry _registry;
    private readonly INamespaceCatalog _namespaces;
    private readonly IOptions<ReplicationOptions> _options;
    private readonly TimeProvider _time;

    internal ReplicaBootstrap(MigrationService migrations, ReplicaRegistry registry, INamespaceCatalog namespaces, IOptions<ReplicationOptions> options, TimeProvider time)
    {
        _migrations = migrations;
        _registry = registry;
        _namespaces = namespaces;
        _options = options;
        _time = time;
    }

    /// <summary>Copies <paramref name="path"/> from <paramref name="source"/> to <paramref name="target"/>; throws with the migration's error when it fails.</summary>
    public async Task<MigrationProgress> CopyAsync(string source, string path, string target, string dataset, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var spec = new MigrationSpec(source, path, target, _options.Value.CopyParallelism, null, TrafficPriority.Low);
        await _migrations.StartAsync(spec, cancellationToken).ConfigureAwait(false);
        var result = await _migrations.WaitAsync(spec.Id, progress, ReportEvery, cancellationToken).ConfigureAwait(false);
        if (result is null || result.Phase != MigrationPhase.Done)
        {
            throw new InvalidOperationException($"migration {spec.Id} of {source}:{path} to {target} {(result?.Phase == MigrationPhase.Failed ? "failed: " + result.Error : "did not finish (" + (result?.Phase ?? "gone") + ")")}");
        }

        await _registry.TrackAsync(target, path, dataset, result.UpdatedAt, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The bytes under <paramref name="path"/> in a datacenter; null when the path does not exist there.</summary>
    public async Task<long?> SizeAsync(string datacenter, string path, CancellationToken cancellationToken) =>
        (await NamespaceTree.ListAsync(_namespaces.Get(datacenter), path, cancellationToken).ConfigureAwait(false))?.Bytes;

    /// <summary>Hands a copy to the replica lifecycle: it expires once the rules drop its datacenter, and is deleted after <c>RetireGracePeriod</c>.</summary>
    public Task HandOverAsync(string datacenter, string path, string dataset, CancellationToken cancellationToken) =>
        _registry.TrackAsync(datacenter, path, dataset, null, _time.GetUtcNow(), cancellationToken);
}
