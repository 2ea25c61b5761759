using Unitization.DataManager.Lineage;

namespace Unitization.DataManager.Placement;

/// <summary>A job that changes datacenter against the previous plan: what it saves per day and what its migration copies.</summary>
internal sealed record JobMove(JobRef Job, string From, string To, double SavesBytesPerDay, double CopyBytes);
