namespace Unitization.Throttle.Budget;

/// <summary>Defaults shared by the budget, the lease client and the options.</summary>
internal static class ThrottleDefaults
{
    /// <summary>The smallest burst a link bucket gets, so one stream chunk never needs more than a full bucket.</summary>
    public const double MinimumBurstBytes = 64 * 1024;

    /// <summary>The burst a link gets when none is configured: this much time at its rate.</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(50);

    public const string MeterName = "Unitization.Throttle";

    public const string HttpClientName = "Unitization.Throttle";
}
