namespace Unitization.Host.Security;

/// <summary>Role names as they appear in configuration, tokens and claims (lower case).</summary>
public static class ApiRoles
{
    public static IReadOnlyList<string> Names { get; } = ["reader", "scheduler", "operator", "admin", "service"];

    public static string Name(ApiRole role) => role switch
    {
        ApiRole.Reader => "reader",
        ApiRole.Scheduler => "scheduler",
        ApiRole.Operator => "operator",
        ApiRole.Admin => "admin",
        ApiRole.Service => "service",
        _ => "none",
    };

    public static bool TryParse(string? name, out ApiRole role)
    {
        role = name?.Trim().ToUpperInvariant() switch
        {
            "READER" => ApiRole.Reader,
            "SCHEDULER" => ApiRole.Scheduler,
            "OPERATOR" => ApiRole.Operator,
            "ADMIN" => ApiRole.Admin,
            "SERVICE" => ApiRole.Service,
            _ => ApiRole.None,
        };
        return role != ApiRole.None;
    }

    /// <summary>What is wrong with a configured role list (empty, or a name that is not a role).</summary>
    public static IEnumerable<string> Problems(IEnumerable<string> roles, string key)
    {
        var list = roles.ToList();
        if (list.Count == 0)
        {
            yield return $"{key}: at least one role is required ({string.Join(", ", Names)})";
        }

        foreach (var role in list)
        {
            if (!TryParse(role, out _))
            {
                yield return $"{key}: '{role}' is not a role ({string.Join(", ", Names)})";
            }
        }
    }
}
