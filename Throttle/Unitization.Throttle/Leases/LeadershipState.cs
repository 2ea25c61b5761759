namespace Unitization.Throttle.Leases;

/// <summary>A throttle instance's part in its fleet: electing (or waiting out its predecessor's leases), leader, or standby.</summary>
internal enum LeadershipState
{
    Electing,
    Leader,
    Standby,
}
