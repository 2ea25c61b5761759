using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.TestUtils.Namespaces;

/// <summary>
/// A namespace in memory with an edit log, for unit tests of code that consumes <see cref="INamespace"/>. Every
/// mutation gets the next txid; <see cref="EditsSinceAsync"/> with follow waits for new edits.
/// </summary>
public sealed class InMemoryNamespace : INamespace
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal) { ["/"] = new Node(true, [], default, TxId.None) };
    private readonly List<EditRecord> _edits = [];
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InMemoryNamespace(string name, TimeProvider? time = null)
    {
        Name = name;
        _time = time ?? TimeProvider.System;
    }

    public string Name { get; }

    public TxId LastTxId
    {
        get
        {
            lock (_lock)
            {
                return _edits.Count == 0 ? TxId.None : _edits[^1].TxId;
            }
        }
    }

    public IReadOnlyList<EditRecord> Edits
    {
        get
        {
            lock (_lock)
            {
                return [.. _edits];
            }
        }
    }

    /// <summary>Writes a file (test convenience for <see cref="CreateAsync"/>).</summary>
    public EditRecord Write(string path, byte[] content) =>
        CreateAsync(path, (s, ct) => s.WriteAsync(content, ct).AsTask(), overwrite: true, CancellationToken.None).GetAwaiter().GetResult();

    public byte[]? Read(string path)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(Normalize(path), out var node) && !node.IsDirectory ? node.Content : null;
        }
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var normal = Normalize(path);
            return Task.FromResult(_nodes.TryGetValue(normal, out var node) ? Entry(normal, node) : null);
        }
    }

    public async IAsyncEnumerable<NamespaceEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<NamespaceEntry> entries;
        lock (_lock)
        {
            var normal = Normalize(path);
            if (!_nodes.TryGetValue(normal, out var node))
            {
                throw new FileNotFoundException($"File {normal} does not exist.", normal);
            }

            entries = node.IsDirectory
                ? _nodes.Where(kv => kv.Key != normal && Parent(kv.Key) == normal).Select(kv => Entry(kv.Key, kv.Value)).ToList()
                : [Entry(normal, node)];
        }

        foreach (var entry in entries)
        {
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var normal = Normalize(path);
            if (!_nodes.TryGetValue(normal, out var node) || node.IsDirectory)
            {
                throw new FileNotFoundException($"File {normal} does not exist.", normal);
            }

            return Task.FromResult<Stream>(new MemoryStream(node.Content, writable: false));
        }
    }

    public async Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        await write(buffer, cancellationToken);
        var content = buffer.ToArray();
        lock (_lock)
        {
            var normal = Normalize(path);
            if (_nodes.TryGetValue(normal, out var existing) && (existing.IsDirectory || !overwrite))
            {
                throw new IOException($"{normal} already exists");
            }

            EnsureParents(normal);
            var checksum = Convert.ToHexStringLower(MD5.HashData(content));
            var edit = Append(EditOp.Create, normal, null, content.Length, checksum);
            _nodes[normal] = new Node(false, content, edit.Timestamp, edit.TxId);
            return edit;
        }
    }

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var normal = Normalize(path);
            if (_nodes.TryGetValue(normal, out var existing))
            {
                return existing.IsDirectory ? Task.FromResult<EditRecord?>(null) : throw new IOException($"{normal} is a file");
            }

            EnsureParents(normal);
            var edit = Append(EditOp.Mkdirs, normal, null, 0, null);
            _nodes[normal] = new Node(true, [], edit.Timestamp, edit.TxId);
            return Task.FromResult<EditRecord?>(edit);
        }
    }

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var from = Normalize(source);
            var to = Normalize(destination);
            if (!_nodes.ContainsKey(from))
            {
                throw new FileNotFoundException($"File {from} does not exist.", from);
            }

            if (_nodes.ContainsKey(to))
            {
                throw new IOException($"{to} already exists");
            }

            EnsureParents(to);
            var edit = Append(EditOp.Rename, from, to, 0, null);
            foreach (var key in _nodes.Keys.Where(k => Under(k, from)).ToList())
            {
                _nodes[to + key[from.Length..]] = _nodes[key];
                _nodes.Remove(key);
            }

            return Task.FromResult(edit);
        }
    }

    /// <summary>Swaps two existing, separate paths under one lock, as one Exchange edit (what LocalNamespace does with renameat2).</summary>
    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var a = Normalize(first);
            var b = Normalize(second);
            if (a == "/" || b == "/" || Under(a, b) || Under(b, a))
            {
                throw new IOException($"{a} and {b} are the root, the same path or one inside the other");
            }

            foreach (var side in new[] { a, b })
            {
                if (!_nodes.ContainsKey(side))
                {
                    throw new FileNotFoundException($"File {side} does not exist.", side);
                }
            }

            var edit = Append(EditOp.Exchange, a, b, 0, null);
            var fromA = _nodes.Where(kv => Under(kv.Key, a)).ToList();
            var fromB = _nodes.Where(kv => Under(kv.Key, b)).ToList();
            fromA.Concat(fromB).ToList().ForEach(kv => _nodes.Remove(kv.Key));
            // everything below both sides changed at this txid (as LocalNamespace's per-path txids say)
            fromA.ForEach(kv => _nodes[b + kv.Key[a.Length..]] = kv.Value with { LastTxId = edit.TxId });
            fromB.ForEach(kv => _nodes[a + kv.Key[b.Length..]] = kv.Value with { LastTxId = edit.TxId });
            return Task.FromResult(edit);
        }
    }

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var normal = Normalize(path);
            if (!_nodes.ContainsKey(normal) || normal == "/")
            {
                return Task.FromResult<EditRecord?>(null);
            }

            var below = _nodes.Keys.Where(k => Under(k, normal)).ToList();
            if (below.Count > 1 && !recursive)
            {
                throw new IOException($"{normal} is a non-empty directory");
            }

            var edit = Append(EditOp.Delete, normal, null, 0, null);
            below.ForEach(k => _nodes.Remove(k));
            return Task.FromResult<EditRecord?>(edit);
        }
    }

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var normal = Normalize(path);
            var node = _nodes.TryGetValue(normal, out var n) ? n : throw new FileNotFoundException($"File {normal} does not exist.", normal);
            var edit = Append(EditOp.SetTimes, normal, null, 0, null);
            _nodes[normal] = node with { ModificationTime = modificationTime };
            return Task.FromResult(edit);
        }
    }

    public Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var normal = Normalize(path);
            if (!_nodes.TryGetValue(normal, out var node) || node.IsDirectory)
            {
                throw new FileNotFoundException($"File {normal} does not exist.", normal);
            }

            return Task.FromResult(new FileChecksum("MD5", Convert.ToHexStringLower(MD5.HashData(node.Content)), 16));
        }
    }

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = after;
        while (true)
        {
            List<EditRecord> batch;
            Task changed;
            lock (_lock)
            {
                batch = _edits.Where(e => e.TxId > position).ToList();
                changed = _changed.Task;
            }

            foreach (var edit in batch)
            {
                yield return edit;
                position = edit.TxId;
            }

            if (!follow)
            {
                yield break;
            }

            if (batch.Count == 0)
            {
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    private static string Normalize(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Split('/').Contains(".."))
        {
            throw new NamespacePathException("not an absolute path inside the namespace", path ?? string.Empty);
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return "/" + string.Join('/', parts);
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static bool Under(string path, string prefix) =>
        prefix == "/" || path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal);

    private static NamespaceEntry Entry(string path, Node node) =>
        new(path, node.IsDirectory, node.Content.Length, node.ModificationTime, node.LastTxId);

    private void EnsureParents(string path)
    {
        for (var parent = Parent(path); parent != "/"; parent = Parent(parent))
        {
            if (_nodes.TryGetValue(parent, out var node))
            {
                if (!node.IsDirectory)
                {
                    throw new IOException($"{parent} is a file");
                }

                continue;
            }

            var edit = Append(EditOp.Mkdirs, parent, null, 0, null);
            _nodes[parent] = new Node(true, [], edit.Timestamp, edit.TxId);
        }
    }

    private EditRecord Append(EditOp op, string path, string? destination, long size, string? checksum)
    {
        var edit = new EditRecord(new TxId(_edits.Count + 1), op, path, destination, size, checksum, _time.GetUtcNow());
        _edits.Add(edit);
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
        return edit;
    }

    private sealed record Node(bool IsDirectory, byte[] Content, DateTimeOffset ModificationTime, TxId LastTxId);
}
