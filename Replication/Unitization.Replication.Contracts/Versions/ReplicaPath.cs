namespace Unitization.Replication.Versions;

/// <summary>The one spelling of a replica path the version store keys on: absolute, '/'-separated, no trailing '/'.</summary>
internal static class ReplicaPath
{
    public static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path[0] != '/')
        {
            throw new ArgumentException($"A replica path must be absolute (start with '/'): '{path}'.", nameof(path));
        }

        var trimmed = path.Replace('\\', '/');
        while (trimmed.Contains("//", StringComparison.Ordinal))
        {
            trimmed = trimmed.Replace("//", "/", StringComparison.Ordinal);
        }

        return trimmed.Length > 1 ? trimmed.TrimEnd('/') : trimmed;
    }
}
