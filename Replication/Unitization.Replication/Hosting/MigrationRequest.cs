namespace Unitization.Replication.Hosting;

/// <summary>
/// Body of <c>POST /api/v1/migrations</c>: <c>{"source":"dcA:/warehouse/db/t","target":"dcB","parallel":4,"rate":"200MB/s","priority":"Low"}</c>;
/// the rate is a cap inside the link's budget, the priority (default Low) the class it is paid at there.
/// </summary>
public sealed record MigrationRequest(string? Source, string? Target, int? Parallel, string? Rate, string? Priority = null);
