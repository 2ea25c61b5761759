namespace Unitization.Host.Hosting;

/// <summary>The roles one <c>unitization serve</c> process can take.</summary>
[Flags]
public enum Role
{
    None = 0,
    DataManager = 1,
    Replicator = 2,
    Router = 4,
    Analytics = 8,
    Throttle = 16,
    All = DataManager | Replicator | Router | Analytics | Throttle,
}
