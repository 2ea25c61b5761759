using Microsoft.AspNetCore.Http;
using Unitization.Router.Gateway;

namespace Unitization.Router.Security;

/// <summary>
/// GETDELEGATIONTOKEN (GET; <c>renewer</c>, <c>service</c>, <c>kind</c>), RENEWDELEGATIONTOKEN and
/// CANCELDELEGATIONTOKEN (PUT; <c>token</c>) with the answers WebHDFS gives: <c>{"Token":{"urlString":…}}</c>,
/// <c>{"long":expiry}</c> and an empty 200. Tokens are issued and renewed only for callers proven by the service's
/// authentication (Kerberos, bearer or API token) with a reader role, never on a token or <c>user.name</c>.
/// </summary>
internal sealed class WebHdfsTokenOperations(DelegationTokenManager tokens)
{
    public async Task<bool> TryHandleAsync(HttpContext context, string op, WebHdfsCaller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(caller);
        var method = context.Request.Method;
        switch (op.ToUpperInvariant())
        {
            case "GETDELEGATIONTOKEN" when HttpMethods.IsGet(method):
                RequireStrong(caller, "issued");
                WebHdfsGuard.AuthorizeRead(caller, "/");
                var renewer = context.Request.Query["renewer"].ToString();
                var kind = context.Request.Query["kind"].ToString();
                var service = context.Request.Query["service"].ToString();
                var token = await tokens.IssueAsync(
                    caller.User,
                    caller.RealUser,
                    renewer.Length > 0 ? renewer : WebHdfsCaller.ShortName(caller.Authenticated),
                    kind.Length > 0 ? kind : context.Request.IsHttps ? DelegationToken.SWebHdfsKind : DelegationToken.WebHdfsKind,
                    service.Length > 0 ? service : context.Request.Host.Value ?? string.Empty,
                    context.RequestAborted).ConfigureAwait(false);
                await WebHdfsJson.WriteTokenAsync(context.Response, token.ToUrlString()).ConfigureAwait(false);
                return true;
            case "RENEWDELEGATIONTOKEN" when HttpMethods.IsPut(method):
                RequireStrong(caller, "renewed");
                var expiry = await tokens.RenewAsync(TokenParameter(context), caller.Authenticated, context.RequestAborted).ConfigureAwait(false);
                await WebHdfsJson.WriteLongAsync(context.Response, expiry).ConfigureAwait(false);
                return true;
            case "CANCELDELEGATIONTOKEN" when HttpMethods.IsPut(method):
                await tokens.CancelAsync(TokenParameter(context), caller.Authenticated, context.RequestAborted).ConfigureAwait(false);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentLength = 0;
                return true;
            default:
                return false;
        }
    }

    private static void RequireStrong(WebHdfsCaller caller, string what)
    {
        if (caller.Method is WebHdfsCaller.Delegation or WebHdfsCaller.Simple)
        {
            throw WebHdfsException.IO($"Delegation Token can be {what} only with kerberos or web authentication (this call was authenticated by {caller.Method})");
        }
    }

    private static string TokenParameter(HttpContext context) =>
        context.Request.Query["token"].ToString() is { Length: > 0 } token
            ? token
            : throw WebHdfsException.IllegalArgument("Invalid value for webhdfs parameter \"token\": the parameter is missing");
}
