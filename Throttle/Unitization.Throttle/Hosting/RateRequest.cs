namespace Unitization.Throttle.Hosting;

/// <summary>Body of <c>PUT /api/v1/throttle/links/{from}/{to}/rate</c>: the link's new rate, and who changes it.</summary>
public sealed record RateRequest(double BytesPerSecond, string? SetBy);
