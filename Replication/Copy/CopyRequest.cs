using Unitization.Namespaces;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Copy;

/// <summary>Copy <see cref="Path"/> from <see cref="Source"/> to the same path in <see cref="Target"/>, on behalf of <see cref="Tenant"/>.</summary>
internal sealed record CopyRequest(INamespace Source, INamespace Target, string Path, string Tenant, TrafficPriority Priority, string StagingFolder);
