namespace Unitization.DataManager.Service;

/// <summary>
/// The answer of <c>GET /api/v1/placement/jobs/{namespace}/{name}</c>. <see cref="Ready"/> is null and
/// <see cref="Readiness"/> <c>unknown</c> when freshness cannot be checked (no freshness source wired, or the job's
/// inputs are not known); a scheduler must treat only <c>true</c> as ready.
/// </summary>
internal sealed record JobPlacementAnswer(
    string Namespace,
    string Name,
    bool Known,
    string Policy,
    string Datacenter,
    string? Queue,
    string? NodeLabel,
    long? PlanVersion,
    bool? Ready,
    string Readiness,
    IReadOnlyList<DatasetName> NotFresh,
    IReadOnlyList<DatasetName> RemoteInputs,
    double WaitedSeconds,
    string Message)
{
    /// <summary>The partitions asked about (<c>?partition=dt=2026-12-05</c>), or null when the whole inputs were.</summary>
    public IReadOnlyList<string>? Partitions { get; init; }
}

/// <summary>A dataset in API answers; <see cref="Partition"/> names the partition that is not fresh, when one was asked about.</summary>
internal sealed record DatasetName(string Namespace, string Name)
{
    public string? Partition { get; init; }
}
