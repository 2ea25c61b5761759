using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Unitization.Host.Security;

/// <summary>
/// Endpoint → role, for every endpoint of every role (the README's table is this one). Applied to each endpoint as it
/// is built (<see cref="Apply"/>); an endpoint missing here gets <c>admin</c> (closed, not open) and
/// <c>EndpointAccessTests</c> fails naming it. <c>*</c> stands for every method of a route mapped with <c>Map</c>.
/// </summary>
internal static class EndpointAccess
{
    private static readonly ApiAccess Reader = new(ApiRole.Reader);
    private static readonly ApiAccess Scheduler = new(ApiRole.Scheduler);
    private static readonly ApiAccess Operator = new(ApiRole.Operator);
    private static readonly ApiAccess Admin = new(ApiRole.Admin);

    /// <summary>(method, route) → access.</summary>
    public static IReadOnlyDictionary<(string Method, string Route), ApiAccess> Table { get; } = new Dictionary<(string, string), ApiAccess>
    {
        // operations
        [("*", "/metrics")] = Reader,
        [("GET", "/openapi/{documentName}.json")] = Reader,
        [("GET", "/api/v1/audit")] = Admin,

        // throttle: processes that cross links lease as services; caps are relayed by analytics as a service
        [("POST", "/api/v1/throttle/leases")] = new(ApiRole.Operator, Service: true),
        [("GET", "/api/v1/throttle/state")] = Reader,
        [("GET", "/api/v1/throttle/caps")] = Reader,
        [("PUT", "/api/v1/throttle/caps/{tenant}")] = new(ApiRole.Operator, Service: true),
        [("DELETE", "/api/v1/throttle/caps/{tenant}")] = new(ApiRole.Operator, Service: true),
        [("PUT", "/api/v1/throttle/links/{from}/{to}/rate")] = Admin,

        // datamanager: lineage comes from schedulers' OpenLineage integrations
        [("POST", "/api/v1/lineage")] = new(ApiRole.Scheduler, Service: true),
        [("GET", "/api/v1/lineage")] = Reader,
        [("GET", "/api/v1/namespaces")] = Reader,
        [("GET", "/api/v1/namespaces/{namespace}/jobs")] = Reader,
        [("GET", "/api/v1/namespaces/{namespace}/datasets")] = Reader,
        [("GET", "/api/v1/placement")] = Reader,
        [("GET", "/api/v1/placement/refresh")] = Reader,
        [("POST", "/api/v1/placement/refresh")] = Operator,
        [("GET", "/api/v1/placement/jobs/{namespace}/{**name}")] = new(ApiRole.Reader, SchedulerToWait: true),
        [("GET", "/api/v1/placement/job")] = new(ApiRole.Reader, SchedulerToWait: true),
        [("POST", "/api/v1/placement/adhoc")] = Scheduler,
        [("POST", "/api/v1/placement/moves")] = Reader,
        [("GET", "/api/v1/placement/changes")] = Reader,
        [("POST", "/api/v1/placement/apply")] = Operator,
        [("GET", "/api/v1/placement/apply")] = Reader,
        [("GET", "/api/v1/replication/rules")] = Reader,

        // replicator
        [("GET", "/api/v1/replication/status")] = Reader,
        [("GET", "/api/v1/replication/dead-letters")] = Reader,
        [("POST", "/api/v1/replication/dead-letters/replay")] = Operator,
        [("GET", "/api/v1/replication/versions")] = Reader,
        [("GET", "/api/v1/replicas")] = Reader,
        [("GET", "/api/v1/migrations")] = Reader,
        [("POST", "/api/v1/migrations")] = Operator,
        [("GET", "/api/v1/migrations/{id}")] = Reader,

        // router: WebHDFS reads for readers, writes for operators and the roles' services (per-mount ACLs refine it)
        [("GET", "/api/v1/resolve")] = Reader,
        [("POST", "/api/v1/resolve")] = Reader,
        [("GET", "/api/v1/mounts")] = Reader,
        [("PUT", "/api/v1/mounts")] = Admin,
        [("DELETE", "/api/v1/mounts")] = Admin,
        [("GET", "/api/v1/router/status")] = Reader,
        [("GET", "/api/v1/router/freshness")] = new(ApiRole.Reader, Service: true),
        [("*", "/webhdfs/v1/{**path}")] = new(ApiRole.Reader, Service: true, Writes: ApiRole.Operator, GatewayCredentials: true),

        // analytics: traffic records come from the roles' services (and admins); people read and set caps
        [("GET", "/api/v1/traffic/top")] = Reader,
        [("GET", "/api/v1/traffic/links")] = Reader,
        [("GET", "/api/v1/traffic/replication-lag")] = Reader,
        [("GET", "/api/v1/traffic/suggestions")] = Reader,
        [("GET", "/api/v1/traffic/throttle")] = Reader,
        [("GET", "/api/v1/traffic/ingest")] = Reader,
        [("GET", "/api/v1/traffic/caps")] = Reader,
        [("PUT", "/api/v1/traffic/caps/{job}")] = Operator,
        [("DELETE", "/api/v1/traffic/caps/{job}")] = Operator,
        [("GET", "/api/v1/traffic/dashboard")] = Reader,
        [("POST", "/api/v1/traffic/records")] = new(ApiRole.Admin, Service: true),
        [("GET", "/analytics")] = Reader,
        [("GET", "/dashboard")] = Reader,
        [("GET", "/analytics/*")] = Reader,
    };

    /// <summary>The access an endpoint gets, or null when the table does not name it.</summary>
    public static ApiAccess? Find(string method, string route)
    {
        if (Table.TryGetValue((method, route), out var access))
        {
            return access;
        }

        // the dashboard's assets are mapped one route per file
        return method == "GET" && route.StartsWith("/analytics/", StringComparison.Ordinal) ? Table[("GET", "/analytics/*")] : null;
    }

    /// <summary>Adds the endpoint's authorization metadata: its policy, or anonymous when opened for reads.</summary>
    public static void Apply(EndpointBuilder builder, IReadOnlyList<string> openReads)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder is not RouteEndpointBuilder route)
        {
            return;
        }

        var pattern = "/" + (route.RoutePattern.RawText ?? string.Empty).TrimStart('/');
        var methods = builder.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? ["*"];
        var accesses = methods.Select(m => Find(m, pattern) ?? Admin).Distinct().ToList();
        var access = accesses.MaxBy(a => a.Minimum)!;
        var open = openReads.Any(o => Opens(o, pattern));
        if (open && methods.All(m => m is "GET" or "HEAD"))
        {
            builder.Metadata.Add(new AllowAnonymousAttribute());
            return;
        }

        if (open && access.Writes is not null)
        {
            access = access with { OpenReads = true };
        }

        builder.Metadata.Add(new AuthorizationPolicy([access], [SecurityClaims.Scheme]));
        builder.Metadata.Add(access);
    }

    /// <summary>Whether an <c>AllowAnonymousRead</c> entry opens a route: exact, or a prefix ending in <c>/**</c>.</summary>
    public static bool Opens(string entry, string route)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(route);
        return entry.EndsWith("/**", StringComparison.Ordinal)
            ? route.StartsWith(entry[..^2], StringComparison.Ordinal) || route == entry[..^3]
            : string.Equals(entry, route, StringComparison.Ordinal);
    }
}
