using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Unitization.Namespaces;

namespace Unitization.Router.Gateway;

/// <summary>The JSON bodies of the WebHDFS REST API, written field by field as the specification names them.</summary>
internal static class WebHdfsJson
{
    public const long BlockSize = 134_217_728;

    public static Task WriteFileStatusAsync(HttpResponse response, NamespaceEntry entry, int childrenNum) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject("FileStatus");
            WriteStatusFields(w, entry, string.Empty, childrenNum);
            w.WriteEndObject();
        });

    public static Task WriteFileStatusesAsync(HttpResponse response, IReadOnlyList<(NamespaceEntry Entry, int ChildrenNum)> entries) =>
        WriteAsync(response, StatusCodes.Status200OK, w => WriteFileStatuses(w, entries));

    /// <summary>LISTSTATUS_BATCH's answer: one page of FileStatus objects and how many entries follow it.</summary>
    public static Task WriteDirectoryListingAsync(HttpResponse response, IReadOnlyList<(NamespaceEntry Entry, int ChildrenNum)> entries, long remainingEntries) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject("DirectoryListing");
            w.WriteStartObject("partialListing");
            WriteFileStatuses(w, entries);
            w.WriteEndObject();
            w.WriteNumber("remainingEntries", remainingEntries);
            w.WriteEndObject();
        });

    public static Task WriteContentSummaryAsync(HttpResponse response, long directoryCount, long fileCount, long length) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject("ContentSummary");
            w.WriteNumber("directoryCount", directoryCount);
            w.WriteNumber("fileCount", fileCount);
            w.WriteNumber("length", length);
            w.WriteNumber("quota", -1);
            w.WriteNumber("spaceConsumed", length);
            w.WriteNumber("spaceQuota", -1);
            w.WriteStartObject("typeQuota");
            w.WriteEndObject();
            w.WriteEndObject();
        });

    public static Task WriteFileChecksumAsync(HttpResponse response, FileChecksum checksum) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject("FileChecksum");
            w.WriteString("algorithm", checksum.Algorithm);
            w.WriteString("bytes", checksum.Hex);
            w.WriteNumber("length", checksum.Hex.Length / 2); // the checksum's bytes, as WebHDFS reports them
            w.WriteEndObject();
        });

    public static Task WriteBooleanAsync(HttpResponse response, bool value) =>
        WriteAsync(response, StatusCodes.Status200OK, w => w.WriteBoolean("boolean", value));

    public static Task WriteLongAsync(HttpResponse response, long value) =>
        WriteAsync(response, StatusCodes.Status200OK, w => w.WriteNumber("long", value));

    /// <summary>GETDELEGATIONTOKEN's answer: <c>{"Token":{"urlString":"…"}}</c>.</summary>
    public static Task WriteTokenAsync(HttpResponse response, string urlString) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject("Token");
            w.WriteString("urlString", urlString);
            w.WriteEndObject();
        });

    public static Task WriteRemoteExceptionAsync(HttpResponse response, WebHdfsException error) =>
        WriteAsync(response, error.Status, w =>
        {
            w.WriteStartObject("RemoteException");
            w.WriteString("exception", error.Exception);
            w.WriteString("javaClassName", error.JavaClassName);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        });

    /// <summary><c>"FileStatuses":{"FileStatus":[…]}</c>: LISTSTATUS's body, and LISTSTATUS_BATCH's partial listing.</summary>
    private static void WriteFileStatuses(Utf8JsonWriter w, IReadOnlyList<(NamespaceEntry Entry, int ChildrenNum)> entries)
    {
        w.WriteStartObject("FileStatuses");
        w.WriteStartArray("FileStatus");
        foreach (var (entry, children) in entries)
        {
            w.WriteStartObject();
            WriteStatusFields(w, entry, NameOf(entry.Path), children);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStatusFields(Utf8JsonWriter w, NamespaceEntry entry, string pathSuffix, int childrenNum)
    {
        w.WriteNumber("accessTime", entry.IsDirectory ? 0 : entry.ModificationTime.ToUnixTimeMilliseconds());
        w.WriteNumber("blockSize", entry.IsDirectory ? 0 : BlockSize);
        w.WriteNumber("childrenNum", childrenNum);
        w.WriteNumber("fileId", FileId(entry.Path));
        w.WriteString("group", "supergroup");
        w.WriteNumber("length", entry.IsDirectory ? 0 : entry.Length);
        w.WriteNumber("modificationTime", entry.ModificationTime.ToUnixTimeMilliseconds());
        w.WriteString("owner", "unitization");
        w.WriteString("pathSuffix", pathSuffix);
        w.WriteString("permission", entry.IsDirectory ? "755" : "644");
        w.WriteNumber("replication", entry.IsDirectory ? 0 : 1);
        w.WriteNumber("storagePolicy", 0);
        w.WriteString("type", entry.IsDirectory ? "DIRECTORY" : "FILE");
    }

    public static string NameOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    // a stable positive id per path (HDFS inode ids are positive longs; clients only compare them)
    private static long FileId(string path)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in path)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)(hash >> 1) | 1;
    }

    private static async Task WriteAsync(HttpResponse response, int status, Action<Utf8JsonWriter> body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }
}
