using System.Text.Json;

namespace Unitization.Hdfs.WebHdfs;

/// <summary>The fields of a WebHDFS <c>FileStatus</c> object this client uses.</summary>
public sealed record WebHdfsFileStatus(string PathSuffix, bool IsDirectory, long Length, long BlockSize, short Replication, DateTimeOffset ModificationTime, string Owner, string Group, string Permission)
{
    /// <summary>Reads one <c>FileStatus</c> object (as GETFILESTATUS, LISTSTATUS and LISTSTATUS_BATCH give it).</summary>
    public static WebHdfsFileStatus Parse(JsonElement status)
    {
        var type = Text(status, "type");
        return new WebHdfsFileStatus(
            Text(status, "pathSuffix"),
            string.Equals(type, "DIRECTORY", StringComparison.Ordinal),
            Number(status, "length"),
            Number(status, "blockSize"),
            (short)Number(status, "replication"),
            DateTimeOffset.FromUnixTimeMilliseconds(Number(status, "modificationTime")),
            Text(status, "owner"),
            Text(status, "group"),
            Text(status, "permission"));
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
