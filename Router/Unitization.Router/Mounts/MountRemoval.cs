namespace Unitization.Router.Mounts;

/// <summary>What deleting a mount through the admin API did.</summary>
public enum MountRemoval
{
    Removed,
    NotFound,

    /// <summary>The mount comes from the configuration file; remove it there.</summary>
    Configured,
}
