using Unitization.Router.Mounts;

namespace Unitization.Router.Api;

/// <summary>A mount as the admin API shows it.</summary>
public sealed record MountView(string Path, string Kind, IReadOnlyList<string> Destinations, string Source)
{
    public static MountView From(MirroredMount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        return new MountView(mount.Path, mount.Kind.ToString(), mount.Destinations.Select(d => d.ToString()).ToList(), mount.Source);
    }
}
