namespace Unitization.Namespaces;

/// <summary>A file's checksum: the algorithm's name (as WebHDFS reports it), its bytes as hex, and the file length.</summary>
public sealed record FileChecksum(string Algorithm, string Hex, long Length);
