namespace Unitization.Hdfs.EditLog;

/// <summary>What <c>new org.apache.hadoop.fs.Path(s).toUri().getPath()</c> makes of a path string: scheme and authority dropped, repeated and trailing slashes removed.</summary>
internal static class HadoopPath
{
    public static string Normalize(string path, long offset)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new EditLogFormatException("a cache directive has an empty path", offset);
        }

        var colon = path.IndexOf(':', StringComparison.Ordinal);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (colon >= 0 && (slash < 0 || colon < slash))
        {
            path = path[(colon + 1)..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                var next = path.IndexOf('/', 2);
                path = next < 0 ? string.Empty : path[next..];
            }
        }

        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
    }
}
