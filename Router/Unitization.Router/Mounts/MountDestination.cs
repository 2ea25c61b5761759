namespace Unitization.Router.Mounts;

/// <summary>One copy of a mount: a datacenter and the path in that datacenter's namespace (<c>dcB:/warehouse/db1</c>).</summary>
public sealed record MountDestination(string Datacenter, string Path)
{
    public override string ToString() => $"{Datacenter}:{Path}";

    /// <summary>Parses <c>dcA:/warehouse/db1</c>.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MountDestination? destination, out string error)
    {
        destination = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not a destination; expected 'datacenter:/path', e.g. 'dcB:/warehouse/db1'";
            return false;
        }

        if (!RouterPath.TryNormalize(text[(colon + 1)..], out var path, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        destination = new MountDestination(text[..colon], path);
        return true;
    }
}
