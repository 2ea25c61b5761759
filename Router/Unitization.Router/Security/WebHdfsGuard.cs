using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Unitization.Router.Addresses;
using Unitization.Router.Api;
using Unitization.Router.Gateway;
using Unitization.Router.Mounts;

namespace Unitization.Router.Security;

/// <summary>
/// Who a WebHDFS request is and what it may do. Authentication, in order: a <c>delegation=</c> token (verified against
/// the state store), the principal the service's authentication established (Kerberos, bearer, API token), and only in
/// insecure mode <c>user.name</c>; nothing else is a 401 with <c>WWW-Authenticate: Negotiate</c>. Then <c>doas</c> for
/// allowed proxy users. Reads need a reader role (or a token issued to one); writes need the path's write ACL;
/// replica mounts are written only by admins and the replicator.
/// </summary>
internal sealed class WebHdfsGuard(IOptions<RouterOptions> options, ClientAddress clientAddress, DelegationTokenManager tokens)
{
    private WebHdfsSecurityOptions Options => options.Value.WebHdfs;

    public async Task<WebHdfsCaller> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await ProvenAsync(context).ConfigureAwait(false);
        var doas = context.Request.Query["doas"].ToString();
        if (doas.Length == 0 || string.Equals(doas, caller.User, StringComparison.Ordinal))
        {
            return caller;
        }

        if (caller.Method == WebHdfsCaller.Delegation || caller.RealUser is not null)
        {
            throw WebHdfsException.AccessControl($"Usernames not matched: a delegation token for {caller.User} cannot act as doas={doas}");
        }

        var real = WebHdfsCaller.ShortName(caller.User);
        if (!Options.ProxyUsers.TryGetValue(real, out var proxy))
        {
            throw WebHdfsException.AccessControl($"User: {real} is not allowed to impersonate {doas} (no Router:WebHdfs:ProxyUsers:{real})");
        }

        var groups = GroupsOf(doas);
        if (!WebHdfsCaller.Names(proxy.Users, doas) && !proxy.Groups.Any(g => g == "*" || groups.Contains(g)))
        {
            throw WebHdfsException.AccessControl($"User: {real} is not allowed to impersonate {doas} (neither the user nor one of its groups is in ProxyUsers:{real})");
        }

        var address = clientAddress.Of(context);
        if (!proxy.Hosts.Contains("*") && !TrustedProxySet.Build(proxy.Hosts, out _).Contains(address.AsSpan()))
        {
            throw WebHdfsException.AccessControl($"Unauthorized connection for super-user: {real} from IP {address}");
        }

        return new WebHdfsCaller(doas, caller.User, caller.Method, caller.Principal);
    }

    /// <summary>Reads: a principal of the service needs a reader role; a delegation token was issued to one; simple users are insecure mode.</summary>
    public static void AuthorizeRead(WebHdfsCaller caller, string path)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Principal is not null && !WebHdfsCaller.ReadRoles.Any(caller.Principal.IsInRole))
        {
            throw WebHdfsException.AccessControl($"Permission denied: user={caller.User}, access=READ, path=\"{path}\": the principal has none of the roles {string.Join(", ", WebHdfsCaller.ReadRoles)}");
        }
    }

    /// <summary>Writes under <paramref name="path"/> (a logical path in <paramref name="mount"/>): admins; the replicator in replica mounts; else the longest write ACL covering it.</summary>
    public void AuthorizeWrite(WebHdfsCaller caller, string path, MirroredMount? mount)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return;
        }

        if (mount?.Kind == MountKind.ReadOnly)
        {
            if (caller.RealUser is null && WebHdfsCaller.Names(Options.ReplicaWriters.Where(n => n != "*"), caller.User))
            {
                return;
            }

            throw WebHdfsException.AccessControl($"Permission denied: user={caller.User}, access=WRITE, path=\"{path}\": {mount.Path} is a replica mount, written only by admins and the replicator");
        }

        WriteAclOptions? best = null;
        string? bestPath = null;
        foreach (var entry in Options.WriteAcl)
        {
            if (RouterPath.TryNormalize(entry.Path, out var prefix, out _) && RouterPath.IsUnder(path, prefix) && (bestPath is null || prefix.Length > bestPath.Length))
            {
                (best, bestPath) = (entry, prefix);
            }
        }

        if (best is null)
        {
            throw WebHdfsException.AccessControl($"Permission denied: user={caller.User}, access=WRITE, path=\"{path}\": no Router:WebHdfs:WriteAcl entry covers it (admins only)");
        }

        var groups = GroupsOf(caller.User);
        if (WebHdfsCaller.Names(best.Users, caller.User) || best.Groups.Any(groups.Contains) || best.Roles.Any(caller.HasRole))
        {
            return;
        }

        throw WebHdfsException.AccessControl($"Permission denied: user={caller.User}, access=WRITE, path=\"{path}\": not in the write ACL of {bestPath}");
    }

    /// <summary>
    /// The job a read is billed to: the job a trusted gateway names (X-Job-Id, ?job=, X-Caller-Context), else the
    /// caller itself; a plain caller's job headers are ignored.
    /// </summary>
    public string JobOf(HttpContext context, WebHdfsCaller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.RealUser is null && caller.Method != WebHdfsCaller.Simple && WebHdfsCaller.Names(Options.JobGateways.Where(n => n != "*"), caller.User))
        {
            var named = context.Request.Headers["X-Job-Id"].ToString() is { Length: > 0 } job ? job
                : context.Request.Query["job"].ToString() is { Length: > 0 } queryJob ? queryJob
                : context.Request.Headers["X-Caller-Context"].ToString();
            if (named.Length > 0)
            {
                return named;
            }
        }

        return caller.User;
    }

    private async Task<WebHdfsCaller> ProvenAsync(HttpContext context)
    {
        var delegation = context.Request.Query["delegation"].ToString();
        if (delegation.Length > 0)
        {
            var identifier = await tokens.VerifyAsync(delegation, context.RequestAborted).ConfigureAwait(false);
            return new WebHdfsCaller(identifier.Owner, identifier.RealUser.Length > 0 ? identifier.RealUser : null, WebHdfsCaller.Delegation, null);
        }

        if (context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } identity)
        {
            return new WebHdfsCaller(name, null, identity.AuthenticationType ?? "authenticated", context.User);
        }

        if (Options.Insecure)
        {
            var user = context.Request.Query["user.name"].ToString();
            return new WebHdfsCaller(user.Length > 0 ? user : Options.AnonymousUser, null, WebHdfsCaller.Simple, null);
        }

        context.Response.Headers.WWWAuthenticate = "Negotiate";
        throw new WebHdfsException(
            StatusCodes.Status401Unauthorized,
            "AuthenticationException",
            "org.apache.hadoop.security.authentication.client.AuthenticationException",
            "Authentication required: Kerberos (Negotiate), a bearer or API token, or delegation=; user.name is honoured only when Router:WebHdfs:Insecure is set");
    }

    private HashSet<string> GroupsOf(string user) =>
        Options.UserGroups.TryGetValue(WebHdfsCaller.ShortName(user), out var groups) || Options.UserGroups.TryGetValue(user, out groups)
            ? new HashSet<string>(groups, StringComparer.Ordinal)
            : [];
}
