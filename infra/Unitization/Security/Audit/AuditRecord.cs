namespace Unitization.Host.Security.Audit;

/// <summary>
/// One audited call: when, who (the authenticated principal, or <c>anonymous</c>), what (method and path with its
/// query), the status answered, the result (<c>allowed</c>, <c>denied</c>: 401/403, <c>failed</c>: any other 4xx/5xx),
/// the client address, and why it was denied. <see cref="Id"/> orders the log: the time, then a random suffix.
/// </summary>
public sealed record AuditRecord(string Id, DateTimeOffset At, string Principal, string Method, string Path, int Status, string Result, string Client, string Detail);
