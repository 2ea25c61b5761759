namespace Unitization.Host.Hosting;

public static class RoleList
{
    public static readonly IReadOnlyDictionary<string, Role> Names = new Dictionary<string, Role>(StringComparer.OrdinalIgnoreCase)
    {
        ["datamanager"] = Role.DataManager,
        ["replicator"] = Role.Replicator,
        ["router"] = Role.Router,
        ["analytics"] = Role.Analytics,
        ["throttle"] = Role.Throttle,
        ["all"] = Role.All,
    };

    /// <summary>Parses <c>datamanager,router</c> or <c>all</c>; an unknown name is an error that lists the valid ones.</summary>
    public static Role Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var roles = Role.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Names.TryGetValue(part, out var role))
            {
                throw new FormatException($"Unknown role '{part}'. Roles: {string.Join(", ", Names.Keys)}.");
            }

            roles |= role;
        }

        if (roles == Role.None)
        {
            throw new FormatException("No role given. Roles: " + string.Join(", ", Names.Keys) + ".");
        }

        return roles;
    }

    public static IEnumerable<string> Format(Role roles) =>
        Names.Where(kv => kv.Value != Role.All && roles.HasFlag(kv.Value)).Select(kv => kv.Key);
}
