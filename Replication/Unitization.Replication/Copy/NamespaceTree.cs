using Unitization.Namespaces;

namespace Unitization.Replication.Copy;

/// <summary>A recursive listing of a path: its files (with paths relative to the root), its directories, and the highest txid seen.</summary>
internal sealed record NamespaceTree(NamespaceEntry Root, IReadOnlyList<NamespaceEntry> Files, IReadOnlyList<string> Directories, TxId LastTxId)
{
    public long Bytes => Files.Sum(f => f.Length);

    /// <summary>Lists <paramref name="path"/> recursively; null when it does not exist.</summary>
    public static async Task<NamespaceTree?> ListAsync(INamespace ns, string path, CancellationToken cancellationToken)
    {
        var root = await ns.GetStatusAsync(path, cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var files = new List<NamespaceEntry>();
        var directories = new List<string>();
        var last = root.LastTxId;
        if (!root.IsDirectory)
        {
            return new NamespaceTree(root, [root], [], last);
        }

        var pending = new Stack<string>();
        pending.Push(root.Path);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            await foreach (var entry in ns.ListAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                last = TxId.Max(last, entry.LastTxId);
                if (entry.IsDirectory)
                {
                    directories.Add(entry.Path);
                    pending.Push(entry.Path);
                }
                else
                {
                    files.Add(entry);
                }
            }
        }

        return new NamespaceTree(root, files, directories, last);
    }

    /// <summary>The part of <paramref name="path"/> below the root ("" for the root itself).</summary>
    public string Relative(string path) => path.Length <= Root.Path.Length ? string.Empty : path[(Root.Path.TrimEnd('/').Length + 1)..];

    public static bool IsUnder(string path, string root) =>
        root == "/" || path == root || (path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length && path[root.Length] == '/');
}
