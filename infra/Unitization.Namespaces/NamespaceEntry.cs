namespace Unitization.Namespaces;

/// <summary>What a namespace knows of one file or directory (the WebHDFS FileStatus fields it can fill).</summary>
public sealed record NamespaceEntry(
    string Path,
    bool IsDirectory,
    long Length,
    DateTimeOffset ModificationTime,
    TxId LastTxId);
