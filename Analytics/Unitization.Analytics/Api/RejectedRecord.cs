namespace Unitization.Analytics.Api;

/// <summary>A record of a POSTed array that is not valid: its index in the array and why.</summary>
internal sealed record RejectedRecord(int Index, string Reason);
