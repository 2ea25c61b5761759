using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Leases;

/// <summary>
/// <c>POST /api/v1/throttle/leases</c>: a client asks for <see cref="Bytes"/> of <see cref="Link"/> (<c>dcA->dcB</c>)
/// for a tenant at a priority. <see cref="Client"/> names the asking process (for the state view).
/// </summary>
public sealed record LeaseRequest(string Link, TrafficPriority Priority, string Tenant, long Bytes, string? Client = null);
