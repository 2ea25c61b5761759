using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Unitization.Host.Security.Audit;

/// <summary>
/// Records every mutating call (not GET, HEAD or OPTIONS) and every denied one (401, 403) after it is answered:
/// who, what, when, result; a read refused because it carried no credential at all is not a denial worth a record (it
/// is how every Kerberos client starts). Successful calls of <c>service</c> principals (leases, rules, records: many a second) are
/// left out unless <c>Security:Audit:IncludeServiceCalls</c>; their denials are always recorded.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, AuditLog log, TimeProvider time, IOptions<SecurityOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var at = time.GetUtcNow();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            await RecordAsync(context, at).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(HttpContext context, DateTimeOffset at)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var denied = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
        var mutating = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (!denied && !mutating)
        {
            return;
        }

        // a read that presented no credential at all is the first step of every SPNEGO exchange (the client waits for
        // the 401's "WWW-Authenticate: Negotiate"): recording it would double the log of every Kerberos reader
        if (!mutating && status == StatusCodes.Status401Unauthorized && !request.Headers.ContainsKey("Authorization"))
        {
            return;
        }

        var roles = SecurityClaims.Roles(context.User);
        if (!denied && status < 400 && roles.Count == 1 && roles[0] == ApiRole.Service && !options.Value.Audit.IncludeServiceCalls)
        {
            return;
        }

        var result = denied ? "denied" : status >= 400 ? "failed" : "allowed";
        var detail = denied
            ? UnitizationAuthenticationHandler.FailureOf(context) ?? (context.Items[ApiAccessHandler.NeededKey] is string needed ? "needs " + needed : "no credential")
            : string.Empty;
        var path = Truncate(request.Path.Value + request.QueryString.Value, 2000);
        var record = new AuditRecord(string.Empty, at, SecurityClaims.NameOf(context.User), request.Method, path, status, result,
            context.Connection.RemoteIpAddress?.ToString() ?? string.Empty, Truncate(detail, 500));
        // the request is answered; a stopping host must not lose the record for a cancelled request
        await log.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";
}
