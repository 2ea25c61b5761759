namespace Unitization.Router.Api;

/// <summary>One path of a <c>POST /api/v1/resolve</c> batch; <see cref="ClientIp"/> defaults to the caller's address.</summary>
public sealed record ResolveRequest(string? Path, string? ClientIp, string? Intent = null);
