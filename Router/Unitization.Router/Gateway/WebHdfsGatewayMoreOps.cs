using System.Globalization;
using Microsoft.AspNetCore.Http;
using Unitization.Namespaces;
using Unitization.Router.Resolution;

namespace Unitization.Router.Gateway;

/// <summary>The gateway's LISTSTATUS_BATCH, SETTIMES and rename with <c>renameoptions</c> (HDFS's rename2), and the children count of listings.</summary>
internal sealed partial class WebHdfsGateway
{
    /// <summary>Entries per LISTSTATUS_BATCH page: HDFS's <c>dfs.ls.limit</c> default.</summary>
    public const int ListLimit = 1000;

    /// <summary>
    /// LISTSTATUS_BATCH: the listing LISTSTATUS gives, from the first name after <c>startAfter</c> (byte order of
    /// names, as HDFS sorts them), at most <see cref="ListLimit"/> entries, with the number left
    /// (<c>{"DirectoryListing":{"partialListing":{"FileStatuses":{…}},"remainingEntries":N}}</c>).
    /// </summary>
    private async Task ListStatusBatchAsync(HttpContext context, string path)
    {
        var cancellationToken = context.RequestAborted;
        var startAfter = context.Request.Query["startAfter"].ToString();
        var (route, ns) = await RouteOrNoneAsync(context, path, RouteIntent.Read).ConfigureAwait(false);
        var entry = ns is null ? null : await ns.GetStatusAsync(route.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        var mountPoints = resolver.Mounts.MountPointsBelow(path);
        if (entry is null && mountPoints.Count == 0)
        {
            throw WebHdfsException.FileNotFound($"File {path} does not exist.");
        }

        List<(NamespaceEntry Entry, int ChildrenNum)> list = entry is { IsDirectory: false }
            ? [(entry with { Path = string.Empty }, 0)]
            : await ListingAsync(context, path, route, ns, entry, mountPoints, cancellationToken).ConfigureAwait(false);
        var after = startAfter.Length == 0 ? list : [.. list.Where(e => string.CompareOrdinal(WebHdfsJson.NameOf(e.Entry.Path), startAfter) > 0)];
        var page = after.Take(ListLimit).ToList();
        await WebHdfsJson.WriteDirectoryListingAsync(context.Response, page, after.Count - page.Count).ConfigureAwait(false);
    }

    /// <summary>SETTIMES: the modification time (milliseconds; -1 keeps it); the access time is not kept by namespaces.</summary>
    private async Task SetTimesAsync(HttpContext context, string path)
    {
        var text = context.Request.Query["modificationtime"].ToString();
        long modification = -1;
        if (text.Length > 0 && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out modification))
        {
            throw WebHdfsException.IllegalArgument($"Invalid value for webhdfs parameter \"modificationtime\": '{text}' is not a number");
        }

        var (route, ns) = await RouteAsync(context, path, RouteIntent.Write).ConfigureAwait(false);
        guard.AuthorizeWrite(CallerOf(context), path, route.Mount);
        if (modification >= 0)
        {
            await ns.SetTimesAsync(route.PhysicalPath!, DateTimeOffset.FromUnixTimeMilliseconds(modification), context.RequestAborted).ConfigureAwait(false);
        }
        else if (await ns.GetStatusAsync(route.PhysicalPath!, context.RequestAborted).ConfigureAwait(false) is null)
        {
            throw WebHdfsException.FileNotFound($"File does not exist: {path}");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// RENAME with <c>renameoptions</c> (NONE, OVERWRITE), as HDFS's rename2 answers it: 200 with no body, errors as
    /// RemoteExceptions (a missing source 404, an existing destination FileAlreadyExistsException). OVERWRITE replaces a
    /// file or an empty directory in one step (an exchange, then the old one deleted), so a reader of the destination
    /// finds the old or the new one, never nothing.
    /// </summary>
    private static async Task Rename2Async(HttpContext context, INamespace ns, string source, string destination)
    {
        var cancellationToken = context.RequestAborted;
        var options = context.Request.Query["renameoptions"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var option in options)
        {
            if (option is not ("NONE" or "OVERWRITE" or "TO_TRASH"))
            {
                throw WebHdfsException.IllegalArgument($"Invalid value for webhdfs parameter \"renameoptions\": No enum constant {option} (NONE, OVERWRITE, TO_TRASH)");
            }
        }

        if (await ns.GetStatusAsync(source, cancellationToken).ConfigureAwait(false) is null)
        {
            throw WebHdfsException.FileNotFound($"rename source {source} is not found.");
        }

        var existing = await ns.GetStatusAsync(destination, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await ns.RenameAsync(source, destination, cancellationToken).ConfigureAwait(false);
        }
        else if (!options.Contains("OVERWRITE"))
        {
            throw WebHdfsException.AlreadyExists($"rename destination {destination} already exists");
        }
        else
        {
            if (existing.IsDirectory && await ns.ListAsync(destination, cancellationToken).AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                throw WebHdfsException.IO($"rename destination directory is not empty: {destination}");
            }

            await ns.ExchangeAsync(source, destination, cancellationToken).ConfigureAwait(false);
            await ns.DeleteAsync(source, recursive: true, cancellationToken).ConfigureAwait(false);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private static async Task<int> ChildrenAsync(INamespace ns, NamespaceEntry entry, CancellationToken cancellationToken)
    {
        if (!entry.IsDirectory)
        {
            return 0;
        }

        var count = 0;
        await foreach (var _ in ns.ListAsync(entry.Path, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
