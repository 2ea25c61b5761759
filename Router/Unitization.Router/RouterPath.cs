namespace Unitization.Router;

/// <summary>Logical paths: absolute, '/'-separated, no empty, '.' or '..' segments, no trailing '/' (except the root).</summary>
public static class RouterPath
{
    /// <summary>Normalizes a path; returns the same string when it is already normal (the common case allocates nothing).</summary>
    public static bool TryNormalize(string? path, out string normalized, out string error)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            error = $"path '{path}' must be absolute (start with '/')";
            return false;
        }

        // a control character (NUL above all) is no part of a name any file system or client can hold or show
        var control = ControlCharacterAt(path);
        if (control >= 0)
        {
            error = $"path contains the control character U+{(int)path[control]:X4} at index {control}; control characters are not allowed in paths";
            return false;
        }

        if (IsNormal(path))
        {
            normalized = path;
            error = string.Empty;
            return true;
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                error = $"path '{path}' contains '..'";
                return false;
            }

            if (part != ".")
            {
                parts.Add(part);
            }
        }

        normalized = "/" + string.Join('/', parts);
        error = string.Empty;
        return true;
    }

    /// <summary>The parent of a normal path ("/" for a top-level entry and for the root itself).</summary>
    public static ReadOnlySpan<char> Parent(ReadOnlySpan<char> path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="prefix"/> or lies under it.</summary>
    public static bool IsUnder(ReadOnlySpan<char> path, ReadOnlySpan<char> prefix) =>
        prefix.Length == 1 ? path.Length > 0 && path[0] == '/' :
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    /// <summary>The index of the first control character (U+0000-U+001F, U+007F-U+009F), or -1.</summary>
    public static int ControlCharacterAt(ReadOnlySpan<char> text)
    {
        var low = text.IndexOfAnyInRange('\u0000', '\u001f');
        var high = text.IndexOfAnyInRange('\u007f', '\u009f');
        return low < 0 ? high : high < 0 ? low : Math.Min(low, high);
    }

    private static bool IsNormal(string path)
    {
        if (path.Length == 1)
        {
            return true;
        }

        if (path[^1] == '/')
        {
            return false;
        }

        var start = 1;
        while (start <= path.Length)
        {
            var end = path.IndexOf('/', start);
            if (end < 0)
            {
                end = path.Length;
            }

            var segment = path.AsSpan(start, end - start);
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }

            start = end + 1;
        }

        return true;
    }
}
