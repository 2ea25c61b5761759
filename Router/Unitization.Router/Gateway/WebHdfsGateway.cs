using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.Router.Api;
using Unitization.Router.Mounts;
using Unitization.Router.Resolution;
using Unitization.Router.Security;
using Unitization.Router.Telemetry;

namespace Unitization.Router.Gateway;

/// <summary>
/// A WebHDFS-compatible gateway at <c>/webhdfs/v1/{path}</c>. Reads (OPEN, GETFILESTATUS, LISTSTATUS(_BATCH),
/// GETCONTENTSUMMARY, GETFILECHECKSUM) are served from the nearest fresh copy for the caller's address; MKDIRS, CREATE
/// (two steps: a 307 to the data URL, then the bytes), RENAME, SETTIMES and DELETE go to the primary. Each answer carries
/// <c>X-Unitization-Datacenter</c> and <c>X-Unitization-Reason</c>. Every call is authenticated and authorized by
/// <see cref="WebHdfsGuard"/> (delegation tokens, proxy users, per-path write ACLs, read-only replicas).
/// </summary>
internal sealed partial class WebHdfsGateway(
    RouteResolver resolver,
    ClientAddress clientAddress,
    INamespaceCatalog catalog,
    CrossDatacenterRead crossDatacenter,
    IReplicaVersionStore replicaVersions,
    IOptions<RouterOptions> options,
    WebHdfsGuard guard,
    WebHdfsTokenOperations tokenOperations,
    RouterMetrics? metrics = null)
{
    public const string Prefix = "/webhdfs/v1";

    private static readonly HashSet<string> KnownOps = new(StringComparer.OrdinalIgnoreCase)
    {
        "OPEN", "GETFILESTATUS", "LISTSTATUS", "LISTSTATUS_BATCH", "GETCONTENTSUMMARY", "GETQUOTAUSAGE", "GETFILECHECKSUM", "GETHOMEDIRECTORY",
        "GETDELEGATIONTOKEN", "GETTRASHROOT", "GETXATTRS", "LISTXATTRS", "GETACLSTATUS", "CHECKACCESS", "GETALLSTORAGEPOLICY", "GETSTORAGEPOLICY",
        "CREATE", "MKDIRS", "CREATESYMLINK", "RENAME", "SETREPLICATION", "SETOWNER", "SETPERMISSION", "SETTIMES", "RENEWDELEGATIONTOKEN",
        "CANCELDELEGATIONTOKEN", "CREATESNAPSHOT", "RENAMESNAPSHOT", "SETXATTR", "REMOVEXATTR", "SETSTORAGEPOLICY", "APPEND", "CONCAT",
        "TRUNCATE", "UNSETSTORAGEPOLICY", "DELETE", "DELETESNAPSHOT",
    };

    private readonly int _chunk = options.Value.GatewayChunkBytes;
    private readonly bool _nameNodeStandIn = options.Value.NameNodeStandIn;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = "/" + (context.Request.RouteValues["path"] as string ?? string.Empty);
        try
        {
            if (!RouterPath.TryNormalize(raw, out var path, out var pathError))
            {
                throw WebHdfsException.IllegalArgument($"Invalid path: {pathError}");
            }

            RequireUserPath(path, path);

            WebHdfsJobIds.Check(context);
            var op = context.Request.Query["op"].ToString();
            if (op.Length == 0)
            {
                throw WebHdfsException.IllegalArgument("Invalid value for webhdfs parameter \"op\": the parameter is missing");
            }

            var caller = await guard.AuthenticateAsync(context).ConfigureAwait(false);
            context.Items[typeof(WebHdfsCaller)] = caller;
            if (await tokenOperations.TryHandleAsync(context, op, caller).ConfigureAwait(false))
            {
                return;
            }

            var method = context.Request.Method;
            if (HttpMethods.IsGet(method))
            {
                WebHdfsGuard.AuthorizeRead(caller, path);
            }

            switch (op.ToUpperInvariant())
            {
                case "OPEN" when HttpMethods.IsGet(method):
                    await OpenAsync(context, path).ConfigureAwait(false);
                    break;
                case "GETFILESTATUS" when HttpMethods.IsGet(method):
                    await GetFileStatusAsync(context, path).ConfigureAwait(false);
                    break;
                case "LISTSTATUS" when HttpMethods.IsGet(method):
                    await ListStatusAsync(context, path).ConfigureAwait(false);
                    break;
                case "LISTSTATUS_BATCH" when HttpMethods.IsGet(method):
                    await ListStatusBatchAsync(context, path).ConfigureAwait(false);
                    break;
                case "GETCONTENTSUMMARY" when HttpMethods.IsGet(method):
                    await ContentSummaryAsync(context, path).ConfigureAwait(false);
                    break;
                case "GETFILECHECKSUM" when HttpMethods.IsGet(method):
                    await ChecksumAsync(context, path).ConfigureAwait(false);
                    break;
                case "MKDIRS" when HttpMethods.IsPut(method):
                    await MkdirsAsync(context, path).ConfigureAwait(false);
                    break;
                case "CREATE" when HttpMethods.IsPut(method):
                    await CreateAsync(context, path).ConfigureAwait(false);
                    break;
                case "RENAME" when HttpMethods.IsPut(method):
                    await RenameAsync(context, path).ConfigureAwait(false);
                    break;
                case "SETTIMES" when HttpMethods.IsPut(method):
                    await SetTimesAsync(context, path).ConfigureAwait(false);
                    break;
                case "DELETE" when HttpMethods.IsDelete(method):
                    await DeleteAsync(context, path).ConfigureAwait(false);
                    break;
                default:
                    throw KnownOps.Contains(op)
                        ? WebHdfsException.Unsupported($"{method} op={op.ToUpperInvariant()} is not supported by this gateway (reads: GET OPEN, GETFILESTATUS, LISTSTATUS, LISTSTATUS_BATCH, GETCONTENTSUMMARY, GETFILECHECKSUM, GETDELEGATIONTOKEN; writes: PUT MKDIRS, CREATE, RENAME, SETTIMES, RENEWDELEGATIONTOKEN, CANCELDELEGATIONTOKEN; DELETE DELETE)")
                        : WebHdfsException.IllegalArgument($"Invalid value for webhdfs parameter \"op\": No enum constant {op}");
            }
        }
#pragma warning disable CA1031 // every failure becomes the RemoteException JSON a WebHDFS client understands
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            await WebHdfsJson.WriteRemoteExceptionAsync(context.Response, WebHdfsException.From(ex, raw)).ConfigureAwait(false);
        }
    }

    private async ValueTask<(Route Route, INamespace Namespace)> RouteAsync(HttpContext context, string path, RouteIntent intent)
    {
        var (route, ns) = await RouteOrNoneAsync(context, path, intent).ConfigureAwait(false);
        if (intent == RouteIntent.Write && ns is not null)
        {
            RequireWriter(ns);
        }

        return ns is null ? throw WebHdfsException.FileNotFound($"File does not exist: {path} (no mount covers it)") : (route, ns);
    }

    /// <summary>Refuses a change, as a standby NameNode does, where this process follows the namespaces read-only.</summary>
    private void RequireWriter(INamespace ns)
    {
        if (catalog is NamespaceCatalog followed && followed.Follows(ns.Name) && ns is Namespaces.Local.LocalNamespace)
        {
            throw WebHdfsException.Standby(
                $"Operation category WRITE is not supported here: this router follows {ns.Name}'s edit log read-only (NamespaceAccess follow); " +
                "write through a process that opens the namespaces for writing (NamespaceAccess write)");
        }
    }

    /// <summary>As <see cref="Route"/>, but a path no mount covers routes to no namespace (null) instead of a 404.</summary>
    private async ValueTask<(Route Route, INamespace? Namespace)> RouteOrNoneAsync(HttpContext context, string path, RouteIntent intent)
    {
        var ip = clientAddress.Of(context);
        if (intent == RouteIntent.Write && resolver.EnterWrite(path) is { } lease)
        {
            // held from before the resolve to the end of the response: a primary switch waits for this write
            context.Response.RegisterForDispose(lease);
        }

        var route = await resolver.ResolveAsync(path, ip, intent, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers["X-Unitization-Client-Datacenter"] = route.ClientDatacenter;
        context.Response.Headers["X-Unitization-Reason"] = route.Reason.ToString();
        switch (route.Reason)
        {
            case RouteReason.NoMount:
                return (route, null);
            case RouteReason.WriteRefused:
                throw WebHdfsException.AccessControl($"Permission denied: {path} is in the read-only mount {route.Mount!.Path} (replicas only); write through the mount of its primary");
            case RouteReason.PrimarySwitching:
                throw WebHdfsException.Retriable($"{path}: {route.Explain()}");
        }

        RequireUserPath(route.PhysicalPath!, path);
        context.Response.Headers["X-Unitization-Datacenter"] = route.Datacenter;
        context.Response.Headers["X-Unitization-Version"] = route.Version.ToString();
        return (route, catalog.Get(route.Datacenter!));
    }

    /// <summary>Unitization's staging and work folders are never a user's (unless <see cref="RouterOptions.NameNodeStandIn"/>): refused by logical and mapped path.</summary>
    private void RequireUserPath(string namespacePath, string path)
    {
        if (!_nameNodeStandIn && NamespacePath.IsInternal(namespacePath))
        {
            throw WebHdfsException.IllegalArgument($"Invalid path: {path}: {NamespacePath.InternalRoot} is reserved for Unitization's staging and work folders; it is not a user's path");
        }
    }

    private async Task OpenAsync(HttpContext context, string path)
    {
        var offset = LongParameter(context, "offset") ?? 0;
        var length = LongParameter(context, "length");
        if (offset < 0 || length < 0)
        {
            throw WebHdfsException.IllegalArgument($"Invalid value for webhdfs parameter \"{(offset < 0 ? "offset" : "length")}\": must not be negative");
        }

        var (route, ns) = await RouteAsync(context, path, RouteIntent.Read).ConfigureAwait(false);
        var cancellationToken = context.RequestAborted;
        var entry = await ns.GetStatusAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            throw WebHdfsException.FileNotFound($"File does not exist: {path}");
        }

        if (!IsDataStep(context) && IsTrue(context, "noredirect"))
        {
            // the gateway is its own data node (as HttpFS is): asked not to redirect, it names the URL that streams
            // the bytes, which is this request with data=true (HDFS-14063 answers HttpFS's OPEN the same way)
            if (entry.IsDirectory)
            {
                throw WebHdfsException.FileNotFound($"Path is not a file: {path}");
            }

            await WriteLocationAsync(context, path).ConfigureAwait(false);
            return;
        }

        if (entry.IsDirectory)
        {
            throw WebHdfsException.FileNotFound($"Path is not a file: {path}");
        }

        if (offset > entry.Length)
        {
            throw WebHdfsException.IO($"Offset={offset} out of the range [0, {entry.Length}); OPEN, path={path}");
        }

        var remaining = entry.Length - offset;
        var send = length is null ? remaining : Math.Min(length.Value, remaining);
        var stream = await ns.OpenReadAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/octet-stream";
            response.ContentLength = send;
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            if (!route.CrossesDatacenters && stream is FileStream file)
            {
                // same datacenter, a local file: positional reads straight into the response's pipe, no copy between
                await FileBody.SendAsync(file.SafeFileHandle, offset, send, response.BodyWriter, _chunk, cancellationToken).ConfigureAwait(false);
                metrics?.GatewaySent(route.Datacenter!, crossed: false, send);
                return;
            }

            if (offset > 0)
            {
                await SkipAsync(stream, offset, cancellationToken).ConfigureAwait(false);
            }

            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(_chunk);
            try
            {
                if (route.CrossesDatacenters)
                {
                    var sent = await crossDatacenter.CopyAsync(stream, response.Body, send, buffer, route.Datacenter!, route.ClientDatacenter, guard.JobOf(context, CallerOf(context)), path, cancellationToken).ConfigureAwait(false);
                    metrics?.GatewaySent(route.Datacenter!, crossed: true, sent);
                }
                else
                {
                    var sent = await CrossDatacenterRead.CopyAsync(stream, response.Body, send, buffer, cancellationToken).ConfigureAwait(false);
                    metrics?.GatewaySent(route.Datacenter!, crossed: false, sent);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task GetFileStatusAsync(HttpContext context, string path)
    {
        var cancellationToken = context.RequestAborted;
        var (route, ns) = await RouteOrNoneAsync(context, path, RouteIntent.Read).ConfigureAwait(false);
        var entry = ns is null ? null : await ns.GetStatusAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        var mountPoints = resolver.Mounts.MountPointsBelow(path);
        if (entry is null)
        {
            // a parent of mount points that no copy holds is a directory of those mount points, as HDFS RBF shows it
            var directory = mountPoints.Count > 0 ? MountPointDirectory(path) : throw WebHdfsException.FileNotFound($"File does not exist: {path}");
            await WebHdfsJson.WriteFileStatusAsync(context.Response, directory, mountPoints.Count).ConfigureAwait(false);
            return;
        }

        var children = await ChildrenAsync(ns!, entry, cancellationToken).ConfigureAwait(false);
        if (entry.IsDirectory && mountPoints.Count > 0)
        {
            children = (await ListingAsync(context, path, route, ns, entry, mountPoints, cancellationToken).ConfigureAwait(false)).Count;
        }

        await WebHdfsJson.WriteFileStatusAsync(context.Response, entry, children).ConfigureAwait(false);
    }

    private async Task ListStatusAsync(HttpContext context, string path)
    {
        var cancellationToken = context.RequestAborted;
        var (route, ns) = await RouteOrNoneAsync(context, path, RouteIntent.Read).ConfigureAwait(false);
        var entry = ns is null ? null : await ns.GetStatusAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        var mountPoints = resolver.Mounts.MountPointsBelow(path);
        if (entry is null && mountPoints.Count == 0)
        {
            throw WebHdfsException.FileNotFound($"File {path} does not exist.");
        }

        if (entry is { IsDirectory: false })
        {
            await WebHdfsJson.WriteFileStatusesAsync(context.Response, [(entry with { Path = string.Empty }, 0)]).ConfigureAwait(false);
            return;
        }

        var list = await ListingAsync(context, path, route, ns, entry, mountPoints, cancellationToken).ConfigureAwait(false);
        await WebHdfsJson.WriteFileStatusesAsync(context.Response, list).ConfigureAwait(false);
    }

    /// <summary>
    /// A directory's children: those of its copy (when a mount covers it and the copy exists), merged with the mount
    /// points below it that the copy does not hold, each shown as a directory with the status of its own nearest fresh
    /// copy when it has one (HDFS router-based federation lists mount points the same way). Sorted by name.
    /// </summary>
    private async Task<List<(NamespaceEntry Entry, int ChildrenNum)>> ListingAsync(
        HttpContext context, string path, Route route, INamespace? ns, NamespaceEntry? entry, IReadOnlyList<string> mountPoints, CancellationToken cancellationToken)
    {
        var list = new List<(NamespaceEntry Entry, int ChildrenNum)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (ns is not null && entry is not null)
        {
            await foreach (var child in ns.ListAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false))
            {
                names.Add(WebHdfsJson.NameOf(child.Path));
                list.Add((child, await ChildrenAsync(ns, child, cancellationToken).ConfigureAwait(false)));
            }
        }

        var missing = mountPoints.Where(n => !names.Contains(n)).ToList();
        if (missing.Count == 0)
        {
            return list;
        }

        var ip = clientAddress.Of(context);
        foreach (var name in missing)
        {
            var childPath = path == "/" ? "/" + name : path + "/" + name;
            var childRoute = await resolver.ResolveAsync(childPath, ip, RouteIntent.Read, cancellationToken).ConfigureAwait(false);
            var copy = childRoute.Datacenter is null ? null : catalog.Get(childRoute.Datacenter);
            var status = copy is null ? null : await copy.GetStatusAsync(childRoute.PhysicalPath!, cancellationToken).ConfigureAwait(false);
            list.Add(status is { IsDirectory: true }
                ? (status with { Path = childPath }, await ChildrenAsync(copy!, status, cancellationToken).ConfigureAwait(false))
                : (MountPointDirectory(childPath), resolver.Mounts.MountPointsBelow(childPath).Count));
        }

        list.Sort((a, b) => string.CompareOrdinal(WebHdfsJson.NameOf(a.Entry.Path), WebHdfsJson.NameOf(b.Entry.Path)));
        return list;
    }

    /// <summary>A directory that exists only as a mount point or a parent of mount points (no copy holds it yet).</summary>
    private static NamespaceEntry MountPointDirectory(string path) => new(path, IsDirectory: true, 0, DateTimeOffset.UnixEpoch, TxId.None);

    private async Task ContentSummaryAsync(HttpContext context, string path)
    {
        var (route, ns) = await RouteOrNoneAsync(context, path, RouteIntent.Read).ConfigureAwait(false);
        var (directories, files, length) = await SummaryAsync(context, path, route, ns, context.RequestAborted).ConfigureAwait(false)
            ?? throw WebHdfsException.FileNotFound($"File does not exist: {path}");
        await WebHdfsJson.WriteContentSummaryAsync(context.Response, directories, files, length).ConfigureAwait(false);
    }

    /// <summary>Directories, files and bytes under a path in its copy; a parent of mount points no copy holds sums the mount
    /// points below it (each from its own nearest fresh copy), as HDFS RBF aggregates them. Null: nothing there.</summary>
    private async Task<(long Directories, long Files, long Length)?> SummaryAsync(HttpContext context, string path, Route route, INamespace? ns, CancellationToken cancellationToken)
    {
        var entry = ns is null ? null : await ns.GetStatusAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            var mountPoints = resolver.Mounts.MountPointsBelow(path);
            if (mountPoints.Count == 0)
            {
                return null;
            }

            (long Directories, long Files, long Length) total = (1, 0, 0);
            var ip = clientAddress.Of(context);
            foreach (var name in mountPoints)
            {
                var childPath = path == "/" ? "/" + name : path + "/" + name;
                var childRoute = await resolver.ResolveAsync(childPath, ip, RouteIntent.Read, cancellationToken).ConfigureAwait(false);
                var copy = childRoute.Datacenter is null ? null : catalog.Get(childRoute.Datacenter);
                if (await SummaryAsync(context, childPath, childRoute, copy, cancellationToken).ConfigureAwait(false) is { } child)
                {
                    total = (total.Directories + child.Directories, total.Files + child.Files, total.Length + child.Length);
                }
            }

            return total;
        }

        long directories = 0, files = 0, length = 0;
        var pending = new Stack<NamespaceEntry>();
        pending.Push(entry);
        while (pending.TryPop(out var current))
        {
            if (!current.IsDirectory)
            {
                files++;
                length += current.Length;
                continue;
            }

            directories++;
            await foreach (var child in ns!.ListAsync(current.Path, cancellationToken).ConfigureAwait(false))
            {
                pending.Push(child);
            }
        }

        return (directories, files, length);
    }

    private async Task ChecksumAsync(HttpContext context, string path)
    {
        var (route, ns) = await RouteAsync(context, path, RouteIntent.Read).ConfigureAwait(false);
        var checksum = await ns.GetChecksumAsync(route.PhysicalPath!, context.RequestAborted).ConfigureAwait(false);
        await WebHdfsJson.WriteFileChecksumAsync(context.Response, checksum).ConfigureAwait(false);
    }

    private async Task MkdirsAsync(HttpContext context, string path)
    {
        var (route, ns) = await RouteAsync(context, path, RouteIntent.Write).ConfigureAwait(false);
        guard.AuthorizeWrite(CallerOf(context), path, route.Mount);
        await ns.MkdirsAsync(route.PhysicalPath!, context.RequestAborted).ConfigureAwait(false);
        await WebHdfsJson.WriteBooleanAsync(context.Response, true).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context, string path)
    {
        var (route, ns) = await RouteAsync(context, path, RouteIntent.Write).ConfigureAwait(false);
        guard.AuthorizeWrite(CallerOf(context), path, route.Mount);
        if (!IsDataStep(context))
        {
            // step one, as a NameNode answers: where to send the bytes (the body of this request is not read)
            if (IsTrue(context, "noredirect"))
            {
                await WriteLocationAsync(context, path).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = DataLocation(context, path);
            context.Response.ContentLength = 0;
            return;
        }

        var overwrite = IsTrue(context, "overwrite");
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // a warehouse file is as large as it is (HDFS has no body limit either)
        }

        var body = context.Request.Body;
        await ns.CreateAsync(route.PhysicalPath!, (target, ct) => body.CopyToAsync(target, _chunk, ct), overwrite, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"webhdfs://{context.Request.Host}{path}";
        context.Response.ContentLength = 0;
    }

    private async Task RenameAsync(HttpContext context, string path)
    {
        var destinationText = context.Request.Query["destination"].ToString();
        if (!RouterPath.TryNormalize(destinationText, out var destination, out var error))
        {
            throw WebHdfsException.IllegalArgument($"Invalid value for webhdfs parameter \"destination\": {error}");
        }

        var (route, ns) = await RouteAsync(context, path, RouteIntent.Write).ConfigureAwait(false);
        var target = resolver.Resolve(destination, route.ClientDatacenter, route.ClientKnown, RouteIntent.Write);
        if (target.Reason == RouteReason.PrimarySwitching)
        {
            throw WebHdfsException.Retriable($"{destination}: {target.Explain()}");
        }

        if (target.Reason == RouteReason.WriteRefused)
        {
            throw WebHdfsException.AccessControl($"Permission denied: {destination} is in the read-only mount {target.Mount!.Path}");
        }

        guard.AuthorizeWrite(CallerOf(context), path, route.Mount);
        guard.AuthorizeWrite(CallerOf(context), destination, target.Mount);
        if (target.Datacenter != route.Datacenter)
        {
            throw WebHdfsException.IO($"Rename of {path} to {destination} is not allowed: the source's primary is in {route.Datacenter}, the destination's in {target.Datacenter ?? "no mount"}");
        }

        if (context.Request.Query.ContainsKey("renameoptions"))
        {
            await Rename2Async(context, ns, route.PhysicalPath!, target.PhysicalPath!).ConfigureAwait(false);
            return;
        }

        try
        {
            await ns.RenameAsync(route.PhysicalPath!, target.PhysicalPath!, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            await WebHdfsJson.WriteBooleanAsync(context.Response, false).ConfigureAwait(false); // WebHDFS answers false
            return;
        }

        await WebHdfsJson.WriteBooleanAsync(context.Response, true).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, string path)
    {
        var recursive = string.Equals(context.Request.Query["recursive"], "true", StringComparison.OrdinalIgnoreCase);
        // a replica mount allows read and delete (retiring the nearest copy); every other delete goes to the primary
        var intent = resolver.Mounts.Match(path)?.Kind == MountKind.ReadOnly ? RouteIntent.Read : RouteIntent.Write;
        var (route, ns) = await RouteAsync(context, path, intent).ConfigureAwait(false);
        guard.AuthorizeWrite(CallerOf(context), path, route.Mount);
        RequireWriter(ns);
        var removed = await ns.DeleteAsync(route.PhysicalPath!, recursive, context.RequestAborted).ConfigureAwait(false);
        if (removed is not null && route.Mount!.Kind == MountKind.ReadOnly)
        {
            // deleting from a replica mount retires that replica: its version no longer vouches for anything
            await replicaVersions.RemoveAsync(route.Datacenter!, route.PhysicalPath!, context.RequestAborted).ConfigureAwait(false);
        }

        await WebHdfsJson.WriteBooleanAsync(context.Response, removed is not null).ConfigureAwait(false);
    }

    private static long? LongParameter(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw WebHdfsException.IllegalArgument($"Invalid value for webhdfs parameter \"{name}\": '{text}' is not a number");
    }

    private static async Task SkipAsync(Stream stream, long offset, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            stream.Seek(offset, SeekOrigin.Begin);
            return;
        }

        var buffer = new byte[Math.Min(offset, 81920)];
        while (offset > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, offset)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            offset -= read;
        }
    }

    private static bool IsTrue(HttpContext context, string parameter) =>
        string.Equals(context.Request.Query[parameter], "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsDataStep(HttpContext context) => IsTrue(context, "data");

    /// <summary>The URL of a two-step operation's second step: this request, without noredirect, with data=true.</summary>
    private static string DataLocation(HttpContext context, string path) =>
        $"{context.Request.Scheme}://{context.Request.Host}{Prefix}{Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal)}" +
        $"{QueryWithout(context.Request.QueryString.Value, "noredirect")}&data=true";

    /// <summary>The answer to <c>noredirect=true</c>: 200 with <c>{"Location": …}</c>, as WebHDFS gives it.</summary>
    private static Task WriteLocationAsync(HttpContext context, string path)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["Location"] = DataLocation(context, path) }, context.RequestAborted);
    }

    private static string QueryWithout(string? query, string name)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "?";
        }

        var parts = query.TrimStart('?').Split('&').Where(p => !p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("data=", StringComparison.OrdinalIgnoreCase));
        return "?" + string.Join('&', parts);
    }

    private static WebHdfsCaller CallerOf(HttpContext context) =>
        context.Items[typeof(WebHdfsCaller)] as WebHdfsCaller ?? throw new InvalidOperationException("the WebHDFS caller was not authenticated before the operation");
}
