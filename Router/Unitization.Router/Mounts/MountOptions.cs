namespace Unitization.Router.Mounts;

/// <summary>
/// One mount as configuration (<c>Router:Mounts:N</c>) and the admin API (<c>PUT /api/v1/mounts</c>) write it:
/// <c>{"Path":"/warehouse/db1","Destinations":["dcA:/warehouse/db1","dcB:/warehouse/db1"]}</c>, or
/// <c>{"Path":"/tmp","Follow":true}</c> for a mount that follows the caller's datacenter.
/// </summary>
public sealed class MountOptions
{
    private List<string> _destinations = [];

    public string Path { get; set; } = string.Empty;

    /// <summary><c>datacenter:/path</c>, primary first; a JSON <c>null</c> reads as none (and is refused as such).</summary>
    public List<string> Destinations
    {
        get => _destinations;
        set => _destinations = value ?? [];
    }

    /// <summary>Reads and writes go to the caller's own datacenter, at <see cref="Target"/> (default: the same path).</summary>
    public bool Follow { get; set; }

    public string? Target { get; set; }

    /// <summary>Every destination is a replica: writes are refused.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Checks and converts the definition. <paramref name="datacenters"/> are the configured ones (a destination must
    /// name one). Errors name the field: <c>Destinations:1: 'dcX' is not a configured datacenter</c>.
    /// </summary>
    public MirroredMount? ToMount(string source, IReadOnlyCollection<string>? datacenters, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (!RouterPath.TryNormalize(Path, out var path, out var pathError))
        {
            errors.Add($"Path: {pathError}");
        }

        var destinations = new List<MountDestination>();
        if (Follow)
        {
            if (Destinations.Count > 0 || ReadOnly)
            {
                errors.Add("Follow: a follow mount takes no Destinations and is not ReadOnly (it uses the caller's datacenter)");
            }

            var target = Target ?? Path;
            if (!RouterPath.TryNormalize(target, out var normalTarget, out var targetError))
            {
                errors.Add($"Target: {targetError}");
            }
            else
            {
                destinations.Add(new MountDestination("*", normalTarget));
            }
        }
        else
        {
            if (Target is not null)
            {
                errors.Add("Target: only a follow mount has a Target; list Destinations instead");
            }

            if (Destinations.Count == 0)
            {
                errors.Add("Destinations: at least one 'datacenter:/path' is needed (the first is the primary)");
            }

            for (var i = 0; i < Destinations.Count; i++)
            {
                if (!MountDestination.TryParse(Destinations[i], out var destination, out var error))
                {
                    errors.Add($"Destinations:{i}: {error}");
                }
                else if (datacenters is not null && !datacenters.Contains(destination.Datacenter))
                {
                    errors.Add($"Destinations:{i}: '{destination.Datacenter}' is not a configured datacenter ({string.Join(", ", datacenters)})");
                }
                else if (destinations.Any(d => d.Datacenter == destination.Datacenter))
                {
                    errors.Add($"Destinations:{i}: datacenter '{destination.Datacenter}' is listed twice");
                }
                else
                {
                    destinations.Add(destination);
                }
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        var kind = Follow ? MountKind.Follow : ReadOnly ? MountKind.ReadOnly : MountKind.Mirrored;
        return new MirroredMount(path, kind, destinations, source);
    }

    public static MountOptions From(MirroredMount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        return mount.Kind == MountKind.Follow
            ? new MountOptions { Path = mount.Path, Follow = true, Target = mount.Destinations[0].Path }
            : new MountOptions { Path = mount.Path, ReadOnly = mount.Kind == MountKind.ReadOnly, Destinations = mount.Destinations.Select(d => d.ToString()).ToList() };
    }
}
