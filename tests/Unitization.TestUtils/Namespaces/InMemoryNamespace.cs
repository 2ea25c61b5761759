using System.Runtime.CompilerServices;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.TestUtils.Namespaces;

/// <summary>
/// The one test double of <see cref="INamespace"/>: files and directories in memory with an edit log, keeping the
/// rules of <see cref="LocalNamespace"/> (the same path normalization and limits, one edit per mutation with missing
/// parents created implicitly, the same refusals and exception types, per-path txids kept by the same
/// <see cref="PathVersions"/>, XXH128 checksums). Faults to inject: <see cref="FailWritesAfter"/> (a crash mid-copy),
/// <see cref="CorruptStoredBytes"/> (a file system that stores something other than it was given),
/// <see cref="CannotExchange"/> (a file system without an atomic swap).
/// </summary>
public sealed class InMemoryNamespace : INamespace, IDisposable
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal) { ["/"] = new Node(true, [], DateTimeOffset.UnixEpoch) };
    private readonly List<EditRecord> _edits = [];
    private readonly PathVersions _versions = new();
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the owner (e.g. a namespace catalog) disposed it.</summary>
    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;

    public InMemoryNamespace(string name, TimeProvider? time = null)
    {
        Name = name;
        _time = time ?? TimeProvider.System;
    }

    public string Name { get; }

    /// <summary>When set, that many more file writes succeed, then each one throws <see cref="IOException"/> before storing anything.</summary>
    public int? FailWritesAfter { get; set; }

    /// <summary>Flips a byte in the middle of every file stored from now on, after the edit logged the checksum of what was given.</summary>
    public bool CorruptStoredBytes { get; set; }

    /// <summary>Makes <see cref="ExchangeAsync"/> throw <see cref="NotSupportedException"/> before anything changes.</summary>
    public bool CannotExchange { get; set; }

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

    /// <summary>Deterministic content of <paramref name="bytes"/> bytes for a seed.</summary>
    public static byte[] Content(int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Writes (or overwrites) a file (test convenience for <see cref="CreateAsync"/>).</summary>
    public EditRecord Write(string path, byte[] content) =>
        CreateAsync(path, (s, ct) => s.WriteAsync(content, ct).AsTask(), overwrite: true, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Writes (or overwrites) a file of <paramref name="bytes"/> bytes of <see cref="Content"/>.</summary>
    public Task<EditRecord> WriteAsync(string path, int bytes, int seed, CancellationToken cancellationToken) =>
        CreateAsync(path, (s, ct) => s.WriteAsync(Content(bytes, seed), ct).AsTask(), overwrite: true, cancellationToken);

    /// <summary>A file's stored bytes; null for a directory or a missing path.</summary>
    public byte[]? Read(string path)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(NamespacePath.Normalize(path), out var node) && !node.IsDirectory ? node.Content : null;
        }
    }

    /// <summary>Every path under <paramref name="directory"/> (itself excluded), in ordinal order.</summary>
    public IReadOnlyList<string> PathsUnder(string directory)
    {
        lock (_lock)
        {
            var normal = NamespacePath.Normalize(directory);
            return _nodes.Keys.Where(k => k != normal && NamespacePath.IsSameOrUnder(k, normal)).ToList();
        }
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        var normal = NamespacePath.Normalize(path);
        lock (_lock)
        {
            return Task.FromResult(_nodes.TryGetValue(normal, out var node) ? Entry(normal, node) : null);
        }
    }

    public async IAsyncEnumerable<NamespaceEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var normal = NamespacePath.Normalize(path);
        List<NamespaceEntry> entries;
        lock (_lock)
        {
            var node = _nodes.GetValueOrDefault(normal) ?? throw NotFound(normal);
            var hideInternal = !NamespacePath.IsInternal(normal);
            entries = node.IsDirectory
                ? _nodes.Where(kv => kv.Key != normal && NamespacePath.Parent(kv.Key) == normal && !(hideInternal && NamespacePath.IsInternal(kv.Key)))
                    .Select(kv => Entry(kv.Key, kv.Value)).ToList()
                : [Entry(normal, node)];
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var normal = NamespacePath.Normalize(path);
        lock (_lock)
        {
            var node = _nodes.GetValueOrDefault(normal) ?? throw NotFound(normal);
            return node.IsDirectory
                ? throw new IOException($"{Name}:{normal} is a directory.")
                : Task.FromResult<Stream>(new MemoryStream(node.Content, writable: false));
        }
    }

    public async Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var normal = NamespacePath.Normalize(path);
        if (normal == NamespacePath.Root)
        {
            throw new NamespacePathException("A file cannot be created at the namespace root", path);
        }

        lock (_lock)
        {
            if (FailWritesAfter is { } n)
            {
                FailWritesAfter = n <= 0 ? n : n - 1;
                if (n <= 0)
                {
                    throw new IOException($"{Name}:{normal}: simulated crash while writing");
                }
            }
        }

        using var buffer = new MemoryStream();
        await write(buffer, cancellationToken);
        var content = buffer.ToArray();
        var checksum = LocalChecksum.Of(content);
        if (CorruptStoredBytes && content.Length > 0)
        {
            content[content.Length / 2] = (byte)~content[content.Length / 2];
        }

        lock (_lock)
        {
            if (_nodes.TryGetValue(normal, out var existing))
            {
                if (existing.IsDirectory)
                {
                    throw new IOException($"{Name}:{normal} is a directory; a file cannot replace it.");
                }

                if (!overwrite)
                {
                    throw new IOException($"{Name}:{normal} already exists (pass overwrite to replace it).");
                }
            }

            RequireNoFileAncestor(normal);
            var edit = Append(EditOp.Create, normal, null, checksum.Length, checksum.Hex);
            AddParents(normal, edit.Timestamp);
            _nodes[normal] = new Node(false, content, edit.Timestamp);
            return edit;
        }
    }

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken)
    {
        var normal = NamespacePath.Normalize(path);
        lock (_lock)
        {
            if (_nodes.TryGetValue(normal, out var existing))
            {
                return existing.IsDirectory ? Task.FromResult<EditRecord?>(null) : throw new IOException($"{Name}:{normal} is a file; a directory cannot be created there.");
            }

            RequireNoFileAncestor(normal);
            var edit = Append(EditOp.Mkdirs, normal, null, 0, null);
            AddParents(normal, edit.Timestamp);
            _nodes[normal] = new Node(true, [], edit.Timestamp);
            return Task.FromResult<EditRecord?>(edit);
        }
    }

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var from = NamespacePath.Normalize(source);
        var to = NamespacePath.Normalize(destination);
        if (from == NamespacePath.Root)
        {
            throw new NamespacePathException("The namespace root cannot be renamed", source);
        }

        lock (_lock)
        {
            var node = _nodes.GetValueOrDefault(from) ?? throw NotFound(from);
            if (_nodes.ContainsKey(to))
            {
                throw new IOException($"{Name}:{to} already exists; a rename never replaces anything.");
            }

            if (NamespacePath.IsSameOrUnder(to, from))
            {
                throw new IOException($"{Name}:{from} cannot be moved into itself ({to}).");
            }

            RequireNoFileAncestor(to);
            var edit = Append(EditOp.Rename, from, to, node.IsDirectory ? 0 : node.Content.Length, null);
            AddParents(to, edit.Timestamp);
            foreach (var key in Subtree(from))
            {
                _nodes[to + key[from.Length..]] = _nodes[key];
                _nodes.Remove(key);
            }

            Touch(NamespacePath.Parent(from)!, edit.Timestamp);
            return Task.FromResult(edit);
        }
    }

    /// <summary>Swaps two existing, separate paths under one lock, as one Exchange edit (what LocalNamespace does with renameat2).</summary>
    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken)
    {
        var (a, b) = NamespacePath.NormalizeExchange(Name, first, second);

        lock (_lock)
        {
            foreach (var side in new[] { a, b })
            {
                if (!_nodes.ContainsKey(side))
                {
                    throw NotFound(side);
                }
            }

            if (CannotExchange)
            {
                throw new NotSupportedException($"Namespace '{Name}' cannot exchange paths: the test double was told it cannot.");
            }

            var edit = Append(EditOp.Exchange, a, b, 0, null);
            var fromA = Subtree(a).Select(k => (Key: k, Node: _nodes[k])).ToList();
            var fromB = Subtree(b).Select(k => (Key: k, Node: _nodes[k])).ToList();
            fromA.Concat(fromB).ToList().ForEach(entry => _nodes.Remove(entry.Key));
            fromA.ForEach(entry => _nodes[b + entry.Key[a.Length..]] = entry.Node);
            fromB.ForEach(entry => _nodes[a + entry.Key[b.Length..]] = entry.Node);
            Touch(NamespacePath.Parent(a)!, edit.Timestamp);
            Touch(NamespacePath.Parent(b)!, edit.Timestamp);
            return Task.FromResult(edit);
        }
    }

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        var normal = NamespacePath.Normalize(path);
        if (normal == NamespacePath.Root)
        {
            throw new NamespacePathException("The namespace root cannot be deleted", path);
        }

        lock (_lock)
        {
            if (!_nodes.TryGetValue(normal, out var node))
            {
                return Task.FromResult<EditRecord?>(null);
            }

            var below = Subtree(normal);
            if (below.Count > 1 && !recursive)
            {
                throw new IOException($"{Name}:{normal} is a non-empty directory; delete it recursively.");
            }

            var edit = Append(EditOp.Delete, normal, null, node.IsDirectory ? 0 : node.Content.Length, null);
            below.ForEach(k => _nodes.Remove(k));
            Touch(NamespacePath.Parent(normal)!, edit.Timestamp);
            return Task.FromResult<EditRecord?>(edit);
        }
    }

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        var normal = NamespacePath.Normalize(path);
        lock (_lock)
        {
            var node = _nodes.GetValueOrDefault(normal) ?? throw NotFound(normal);
            var edit = Append(EditOp.SetTimes, normal, null, 0, null, modificationTime);
            _nodes[normal] = node with { ModificationTime = modificationTime };
            return Task.FromResult(edit);
        }
    }

    public async Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken)
    {
        var stream = await OpenReadAsync(path, cancellationToken);
        await using (stream)
        {
            return await LocalChecksum.ComputeAsync(stream, cancellationToken);
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

    private FileNotFoundException NotFound(string normal) => new($"{Name}:{normal} does not exist.");

    private List<string> Subtree(string path) => _nodes.Keys.Where(k => NamespacePath.IsSameOrUnder(k, path)).ToList();

    private NamespaceEntry Entry(string path, Node node) =>
        new(path, node.IsDirectory, node.IsDirectory ? 0 : node.Content.Length, node.ModificationTime, _versions.Get(path));

    private void RequireNoFileAncestor(string path)
    {
        foreach (var ancestor in NamespacePath.Ancestors(path))
        {
            if (_nodes.TryGetValue(ancestor, out var node) && !node.IsDirectory)
            {
                throw new IOException($"{Name}:{ancestor} is a file, so {path} cannot be created under it.");
            }
        }
    }

    /// <summary>Creates the missing directories above a path (part of the edit that needs them, as on disk) and stamps its parent.</summary>
    private void AddParents(string path, DateTimeOffset time)
    {
        foreach (var ancestor in NamespacePath.Ancestors(path))
        {
            _nodes.TryAdd(ancestor, new Node(true, [], time));
        }

        Touch(NamespacePath.Parent(path)!, time);
    }

    /// <summary>A directory whose entries changed takes the edit's time, as HDFS sets a parent's modification time.</summary>
    private void Touch(string directory, DateTimeOffset time)
    {
        if (_nodes.TryGetValue(directory, out var node))
        {
            _nodes[directory] = node with { ModificationTime = time };
        }
    }

    private EditRecord Append(EditOp op, string path, string? destination, long size, string? checksum, DateTimeOffset? timestamp = null)
    {
        var edit = new EditRecord(new TxId(_edits.Count + 1), op, path, destination, size, checksum, timestamp ?? _time.GetUtcNow());
        _edits.Add(edit);
        _versions.Apply(edit);
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
        return edit;
    }

    private sealed record Node(bool IsDirectory, byte[] Content, DateTimeOffset ModificationTime);
}
