using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.Throttle.Leases;

namespace Unitization.Throttle.Hosting;

/// <summary>The <c>throttle</c> role's health: up, and whether this instance holds the fleet's link budgets or stands by.</summary>
internal sealed class ThrottleHealthCheck(LeaseService leases) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(leases.Leadership switch
        {
            LeadershipState.Leader => "link budgets and lease service up: this instance holds the link budgets",
            LeadershipState.Standby => "standby: another throttle instance holds the link budgets; this one takes over when it dies",
            _ => "electing the holder of the link budgets",
        }));
}
