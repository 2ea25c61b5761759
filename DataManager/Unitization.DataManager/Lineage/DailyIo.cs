namespace Unitization.DataManager.Lineage;

/// <summary>One day of one job reading (or writing) one dataset: bytes summed over the day's runs.</summary>
internal sealed record DailyIo(DateOnly Day, JobRef Job, string Dag, DatasetRef Dataset, bool Write, long Bytes);
