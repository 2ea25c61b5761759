using Unitization.Router.Addresses;

namespace Unitization.Router.Security;

/// <summary>
/// Whom one real user may impersonate (<c>doas</c>): users by name or by group, from hosts (IP, CIDR); <c>"*"</c>
/// matches any. Empty lists match none, as in Hadoop.
/// </summary>
public sealed class ProxyUserOptions
{
    public List<string> Users { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    public List<string> Hosts { get; set; } = [];

    internal IEnumerable<(int Index, string Error)> HostErrors()
    {
        for (var i = 0; i < Hosts.Count; i++)
        {
            if (Hosts[i] != "*" && !CidrRange.TryParse(Hosts[i], out _, out var error))
            {
                yield return (i, error);
            }
        }
    }
}
