using System.Text;

namespace Unitization.Replication.Metastore;

/// <summary>
/// Turns an HMS storage location (<c>hdfs://nameservice/warehouse/db.db/t</c>, or a bare path) into the namespace path
/// the replicator copies, and builds a partition's default directory name (<c>k1=v1/k2=v2</c>, Hive's escaping).
/// </summary>
public static class HiveLocation
{
    public static string ToNamespacePath(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new MalformedEventException("The storage descriptor has no location.");
        }

        string path;
        if (location.StartsWith('/'))
        {
            path = location;
        }
        else if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "hdfs" or "viewfs" or "file")
        {
            path = Uri.UnescapeDataString(uri.AbsolutePath);
        }
        else
        {
            throw new MalformedEventException($"Location '{location}' is neither an absolute path nor an hdfs://, viewfs:// or file:// URI.");
        }

        if (path.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new MalformedEventException($"Location '{location}' has '.' or '..' segments.");
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    /// <summary>The partition's directory under its table: <c>k1=v1/k2=v2</c>, in the table's key order.</summary>
    public static string PartitionName(IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        return string.Join('/', keys.Select(k => values.TryGetValue(k, out var v)
            ? Escape(k) + "=" + Escape(v)
            : throw new MalformedEventException($"Partition spec has no value for key '{k}'.")));
    }

    // Hive's FileUtils.escapePathName: control characters and characters special in paths become %XX
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 0x20 || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '\x7F' or '{' or '[' or ']' or '^')
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
