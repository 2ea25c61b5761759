namespace Unitization.Hdfs.WebHdfs;

/// <summary>GETCONTENTSUMMARY's answer: directories (the path itself included), files, bytes, and bytes with replication.</summary>
public sealed record WebHdfsContentSummary(long DirectoryCount, long FileCount, long Length, long SpaceConsumed);
