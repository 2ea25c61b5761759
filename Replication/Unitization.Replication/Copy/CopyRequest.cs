using Unitization.Namespaces;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Copy;

/// <summary>
/// Copy <see cref="Path"/> from <see cref="Source"/> to the same path in <see cref="Target"/>, on behalf of
/// <see cref="Tenant"/>. <see cref="Budget"/> replaces the copier's link budget (a migration's: the link's budget with
/// the migration's cap inside it); <see cref="BytesCopied"/> hears of each chunk as it is copied (a migration's progress).
/// </summary>
internal sealed record CopyRequest(
    INamespace Source, INamespace Target, string Path, string Tenant, TrafficPriority Priority, string StagingFolder, IBandwidthBudget? Budget = null, IProgress<long>? BytesCopied = null);
