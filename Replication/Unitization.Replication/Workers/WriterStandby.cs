using Microsoft.Extensions.Logging;
using Unitization.Namespaces;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Workers;

/// <summary>
/// A replicator process writes to local namespaces only while it holds their writer locks (one writer per namespace).
/// A second process of the role waits here as a standby, reported in health, and becomes the writer within
/// <see cref="Poll"/> of the first one stopping or dying (the kernel releases a dead process's lock at once).
/// </summary>
internal static class WriterStandby
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether this process can open every namespace for writing now; the reason it cannot otherwise.</summary>
    public static string? TryBecomeWriter(INamespaceCatalog namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        try
        {
            foreach (var dc in namespaces.Datacenters)
            {
                namespaces.Get(dc);
            }

            return null;
        }
        catch (NamespaceWriterHeldException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Returns once this process can open every namespace for writing.</summary>
    public static async Task WaitAsync(INamespaceCatalog namespaces, ReplicationHealth health, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var waited = false;
        while (TryBecomeWriter(namespaces) is { } reason)
        {
            if (!waited)
            {
                ReplicationLog.WriterStandby(logger, reason);
                waited = true;
            }

            health.StandbyFor(reason);
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }

        health.StandbyFor(null);
        if (waited)
        {
            ReplicationLog.WriterActive(logger, time.GetElapsedTime(started));
        }
    }
}
