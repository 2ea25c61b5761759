using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Unitization.Host.Security;

/// <summary>
/// The security of each operation in the OpenAPI document: the schemes (<c>bearer</c>: an API token or a JWT;
/// <c>negotiate</c>: Kerberos SPNEGO), the least role as <c>x-unitization-role</c>, and the 401/403 answers.
/// </summary>
internal static class SecurityDescription
{
    public const string RoleExtension = "x-unitization-role";

    public static Task DescribeSchemesAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token (unz_..., from `unitization tokens create`) or a JWT from the configured OIDC issuer (Security:Jwt).",
        };
        document.Components.SecuritySchemes["negotiate"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "negotiate",
            Description = "Kerberos SPNEGO (Security:Kerberos): `kinit`, then `curl --negotiate -u :`.",
        };
        return Task.CompletedTask;
    }

    public static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var access = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiAccess>().LastOrDefault();
        if (access is null)
        {
            return Task.CompletedTask;
        }

        var needed = access.MinimumFor(context.Description.HttpMethod ?? "GET", new QueryCollection());
        var role = ApiRoles.Name(needed) + (access.Service && needed != ApiRole.Reader ? " or service" : string.Empty) + (access.SchedulerToWait ? " (scheduler to wait)" : string.Empty);
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[RoleExtension] = new JsonNodeExtension(JsonValue.Create(role));
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("negotiate", context.Document)] = [] },
        ];
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No credential, or one that is refused (unknown, expired, tampered)." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The caller's roles do not include {role}." });
        return Task.CompletedTask;
    }
}
