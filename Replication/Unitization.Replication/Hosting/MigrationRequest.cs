namespace Unitization.Replication.Hosting;

/// <summary>Body of <c>POST /api/v1/migrations</c>: <c>{"source":"dcA:/warehouse/db/t","target":"dcB","parallel":4,"rate":"200MB/s"}</c>.</summary>
public sealed record MigrationRequest(string? Source, string? Target, int? Parallel, string? Rate);
