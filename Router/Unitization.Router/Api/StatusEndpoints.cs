using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Unitization.Router.Resolution;
using Unitization.Router.Versions;

namespace Unitization.Router.Api;

/// <summary><c>GET /api/v1/router/status</c>: mounts, networks, unknown-client count, how far each edit log is followed (and from which checkpoint).</summary>
internal static class StatusEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/v1/router/status", (RouteResolver resolver, VersionService versions) => TypedResults.Ok(new
        {
            mounts = resolver.Mounts.Count,
            clientNetworks = resolver.Networks.NetworkCount,
            defaultDatacenter = resolver.Networks.DefaultDatacenter,
            unknownClients = resolver.Networks.UnknownCount,
            replicaVersions = versions.Replicas.RecordCount,
            editLogs = versions.Datacenters.Select(dc => new
            {
                datacenter = dc,
                followedTxId = versions.IndexOf(dc).Position.Value,
                lastTxId = versions.NamespaceOf(dc).LastTxId.Value,
                paths = versions.IndexOf(dc).PathCount,
                resumedFromTxId = versions.IndexOf(dc).ResumedFrom.Value,
            }).ToList(),
        }));
}
