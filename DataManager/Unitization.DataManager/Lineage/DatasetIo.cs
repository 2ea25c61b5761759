namespace Unitization.DataManager.Lineage;

/// <summary>One input or output of a run and its bytes (0 when the run did not report statistics).</summary>
internal readonly record struct DatasetIo(DatasetRef Dataset, long Bytes);
