using Unitization.Router.Resolution;

namespace Unitization.Router.Api;

/// <summary>The JSON answer of <c>/api/v1/resolve</c> for one path.</summary>
public sealed record ResolveResponse(
    string Path,
    string ClientIp,
    string ClientDatacenter,
    bool ClientKnown,
    string? Mount,
    string? Datacenter,
    string? Namespace,
    string? PhysicalPath,
    long Version,
    bool Fresh,
    string Reason,
    string Explanation,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Error = null)
{
    public static ResolveResponse From(Route route, string clientIp, string? namespaceName)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new ResolveResponse(route.Path, clientIp, route.ClientDatacenter, route.ClientKnown, route.Mount?.Path, route.Datacenter, namespaceName,
            route.PhysicalPath, route.Version.Value, route.Fresh, route.Reason.ToString(), route.Explain());
    }
}
