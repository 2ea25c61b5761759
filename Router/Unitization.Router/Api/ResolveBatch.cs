namespace Unitization.Router.Api;

/// <summary>The body of <c>POST /api/v1/resolve</c> (<c>{"requests":[...]}</c>) and its answer (<c>{"results":[...]}</c>).</summary>
public sealed record ResolveBatch(IReadOnlyList<ResolveRequest>? Requests, IReadOnlyList<ResolveResponse>? Results = null);
