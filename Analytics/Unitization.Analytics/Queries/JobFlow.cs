namespace Unitization.Analytics.Queries;

/// <summary>Bytes a job moved between its own datacenter and a data datacenter (equal when local) in a window.</summary>
internal sealed record JobFlow(string Job, string JobDatacenter, string DataDatacenter, long Bytes);
