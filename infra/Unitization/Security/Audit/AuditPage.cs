namespace Unitization.Host.Security.Audit;

/// <summary>A page of the audit log, newest first; <see cref="Next"/> is the <c>before</c> of the next page (null: the last page).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, string? Next);
