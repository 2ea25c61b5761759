using Microsoft.Extensions.Options;
using Unitization.DataManager.Apply;
using Unitization.Replication.Migration;
using Unitization.Router;
using Unitization.Router.Mounts;
using Unitization.Router.Versions;
using Unitization.Throttle.Configuration;

namespace Unitization.Host.Hosting;

/// <summary>
/// DataManager's apply port over the router's mounts and primary switch and Replication's migrations and replica
/// lifecycle (same process). A primary move: the mount keeps a copy in the new datacenter, writes are held back, the
/// copy is migrated (again, until it is fresh: at most <see cref="MaxCatchUpRounds"/> rounds), then the mount switches.
/// </summary>
internal sealed class PlacementActuator(
    MountRegistry mounts,
    PrimarySwitch primarySwitch,
    ReplicaBootstrap bootstrap,
    PathFreshness paths,
    IOptions<ThrottleOptions> throttle,
    TimeProvider time) : IPlacementActuator
{
    private const int MaxCatchUpRounds = 10;
    private const int MaxCopyAttempts = 3;

    public Task<string?> PathOfAsync(string datasetNamespace, string datasetName, CancellationToken cancellationToken) =>
        paths.DatasetPathAsync(datasetNamespace, datasetName, cancellationToken);

    public DatasetCopies? CopiesOf(string path)
    {
        if (!RouterPath.TryNormalize(path, out var normal, out _) || mounts.Current.Match(normal) is not { Kind: MountKind.Mirrored } mount)
        {
            return null;
        }

        return mount.Path == normal
            ? new DatasetCopies(mount.Destinations[0].Datacenter, [.. mount.Destinations.Skip(1).Select(d => d.Datacenter)])
            : new DatasetCopies(mount.Destinations[0].Datacenter, []);
    }

    public Task<long?> SizeAsync(string datacenter, string path, CancellationToken cancellationToken) => bootstrap.SizeAsync(datacenter, path, cancellationToken);

    public long? LinkBytesPerSecond(string from, string to) =>
        throttle.Value.Links.FirstOrDefault(l => l.From == from && l.To == to) is { } link ? (long)link.BytesPerSecond : null;

    public async Task CopyAsync(string from, string path, string to, string dataset, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // nothing there yet: the replicator copies what gets written once the mount names the replica. A file
        // rewritten while the migration read it fails that run: the next run copies what changed (at most 3)
        for (var attempt = 1; await bootstrap.SizeAsync(from, path, cancellationToken).ConfigureAwait(false) is not null; attempt++)
        {
            try
            {
                await bootstrap.CopyAsync(from, path, to, dataset, Fraction(progress, 0, 1), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < MaxCopyAttempts)
            {
                // the next run resumes from the migration's checkpoint
            }
        }
    }

    public async Task SetMountAsync(string path, string primary, IReadOnlyList<string> replicas, CancellationToken cancellationToken)
    {
        var errors = await mounts.PutAsync(
            new MountOptions { Path = path, Destinations = [$"{primary}:{path}", .. replicas.Where(r => r != primary).Distinct().Select(r => $"{r}:{path}")] },
            cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"mount {path}: {string.Join("; ", errors)}");
        }
    }

    public async Task MovePrimaryAsync(string path, string from, string to, IReadOnlyList<string> replicas, string dataset, IProgress<double> progress, CancellationToken cancellationToken)
    {
        // the mount first keeps the new copy as a replica (served only once fresh), with the old primary first
        var held = CopiesOf(path) is { } now && now.Primary == from ? now.Replicas : [];
        if (!held.Contains(to))
        {
            await SetMountAsync(path, from, [.. held, to], cancellationToken).ConfigureAwait(false);
        }

        // the bulk copy while writes go on; then writes wait while the copy catches up, and the mount switches
        if (await bootstrap.SizeAsync(from, path, cancellationToken).ConfigureAwait(false) is not null)
        {
            try
            {
                await bootstrap.CopyAsync(from, path, to, dataset, Fraction(progress, 0, 0.8), cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // a file rewritten while it was read fails this copy; the catch-up below, with writes held back, copies it
            }
        }

        await primarySwitch.BeginAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            for (var round = 1; round <= MaxCatchUpRounds; round++)
            {
                var sourceHolds = await bootstrap.SizeAsync(from, path, cancellationToken).ConfigureAwait(false) is not null;
                if (sourceHolds)
                {
                    await bootstrap.CopyAsync(from, path, to, dataset, Fraction(progress, 0.8, 0.2 / MaxCatchUpRounds), cancellationToken).ConfigureAwait(false);
                }

                // nothing at the path in either datacenter: nothing to copy, nothing stale to serve
                var neither = !sourceHolds && await bootstrap.SizeAsync(to, path, cancellationToken).ConfigureAwait(false) is null;
                if (await primarySwitch.TryCompleteAsync(path, to, replicas, neither, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                // not fresh yet: most often the router's follower has not read the old primary's log to its end
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
            }

            throw new InvalidOperationException($"{to}:{path} was not fresh against {from} after {MaxCatchUpRounds} catch-up copies; the primary stays in {from}");
        }
        finally
        {
            primarySwitch.Abort(path); // a no-op after a switch; otherwise writes go to the old primary again
        }
    }

    public Task RetireAsync(string path, string datacenter, string dataset, CancellationToken cancellationToken) =>
        bootstrap.HandOverAsync(datacenter, path, dataset, cancellationToken);

    private static Inline Fraction(IProgress<double> progress, double start, double width) =>
        new(p => progress.Report(start + (width * (p.Progress.BytesTotal > 0 ? (double)p.Progress.BytesDone / p.Progress.BytesTotal : 0))));

    private sealed class Inline(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
