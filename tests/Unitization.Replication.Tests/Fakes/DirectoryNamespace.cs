using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>
/// A test double of a namespace: a temp directory plus an in-memory edit log (the real LocalNamespace is infra's).
/// Each mutation bumps the txid of the path and its ancestors, like a directory's modification txid.
/// <see cref="FailWritesAfter"/> makes the n-th file write throw, to simulate a crash mid-copy;
/// <see cref="CorruptStoredBytes"/> flips a byte of every file it stores after the writer wrote it (a file system that
/// stored something other than it was given); <see cref="CannotExchange"/> makes it a file system without an atomic swap.
/// </summary>
internal sealed class DirectoryNamespace(string name, string root) : INamespace
{
    private readonly Lock _gate = new();
    private readonly List<EditRecord> _edits = [];
    private readonly Dictionary<string, TxId> _touched = new(StringComparer.Ordinal);
    private long _txid;

    public string Name => name;

    public string Root => root;

    public int? FailWritesAfter { get; set; }

    public bool CorruptStoredBytes { get; set; }

    /// <summary>Makes <see cref="ExchangeAsync"/> throw <see cref="NotSupportedException"/>, as a file system without an atomic swap does.</summary>
    public bool CannotExchange { get; set; }

    public TxId LastTxId
    {
        get
        {
            lock (_gate)
            {
                return new TxId(_txid);
            }
        }
    }

    public Task<NamespaceEntry?> GetStatusAsync(string path, CancellationToken cancellationToken) => Task.FromResult(Entry(Normalize(path)));

    public async IAsyncEnumerable<NamespaceEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var p = Normalize(path);
        var local = Local(p);
        if (File.Exists(local))
        {
            yield return Entry(p)!;
            yield break;
        }

        foreach (var child in Directory.EnumerateFileSystemEntries(local).Select(c => Path.GetFileName(c)!).Order(StringComparer.Ordinal))
        {
            await Task.Yield();
            var entry = Entry(p == "/" ? "/" + child : p + "/" + child);
            if (entry is not null)
            {
                yield return entry;
            }
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Local(Normalize(path)), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true));

    public async Task<EditRecord> CreateAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite, CancellationToken cancellationToken)
    {
        var p = Normalize(path);
        var local = Local(p);
        if (!overwrite && File.Exists(local))
        {
            throw new IOException($"{p} exists");
        }

        lock (_gate)
        {
            if (FailWritesAfter is { } n)
            {
                if (n <= 0)
                {
                    throw new IOException("simulated crash");
                }

                FailWritesAfter = n - 1;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var temp = local + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await write(stream, cancellationToken);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        if (CorruptStoredBytes)
        {
            FlipMiddleByte(temp);
        }

        File.Move(temp, local, overwrite: true);
        var checksum = await GetChecksumAsync(p, cancellationToken);
        return Log(EditOp.Create, p, null, checksum.Length, checksum.Hex);
    }

    public Task<EditRecord?> MkdirsAsync(string path, CancellationToken cancellationToken)
    {
        var p = Normalize(path);
        if (Directory.Exists(Local(p)))
        {
            return Task.FromResult<EditRecord?>(null);
        }

        Directory.CreateDirectory(Local(p));
        return Task.FromResult<EditRecord?>(Log(EditOp.Mkdirs, p, null, 0, null));
    }

    public Task<EditRecord> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var s = Normalize(source);
        var d = Normalize(destination);
        if (Exists(d))
        {
            throw new IOException($"{d} exists");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Local(d))!);
        if (Directory.Exists(Local(s)))
        {
            Directory.Move(Local(s), Local(d));
        }
        else
        {
            File.Move(Local(s), Local(d));
        }

        return Task.FromResult(Log(EditOp.Rename, s, d, 0, null));
    }

    /// <summary>The real atomic swap (renameat2 RENAME_EXCHANGE, as LocalNamespace does it), logged as one Exchange edit.</summary>
    public Task<EditRecord> ExchangeAsync(string first, string second, CancellationToken cancellationToken)
    {
        var a = Normalize(first);
        var b = Normalize(second);
        if (a == "/" || b == "/" || a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal))
        {
            throw new IOException($"{a} and {b} are the root, the same path or one inside the other");
        }

        if (CannotExchange)
        {
            throw new NotSupportedException($"{name} cannot exchange paths");
        }

        AtomicExchange.Exchange(Local(a), Local(b));
        return Task.FromResult(Log(EditOp.Exchange, a, b, 0, null));
    }

    public Task<EditRecord?> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        var p = Normalize(path);
        var local = Local(p);
        if (Directory.Exists(local))
        {
            Directory.Delete(local, recursive);
        }
        else if (File.Exists(local))
        {
            File.Delete(local);
        }
        else
        {
            return Task.FromResult<EditRecord?>(null);
        }

        return Task.FromResult<EditRecord?>(Log(EditOp.Delete, p, null, 0, null));
    }

    public Task<EditRecord> SetTimesAsync(string path, DateTimeOffset modificationTime, CancellationToken cancellationToken) =>
        Task.FromResult(Log(EditOp.SetTimes, Normalize(path), null, 0, null));

    public async Task<FileChecksum> GetChecksumAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(Local(Normalize(path)));
        var hash = await MD5.HashDataAsync(stream, cancellationToken);
        return new FileChecksum("MD5", Convert.ToHexStringLower(hash), stream.Length);
    }

    public async IAsyncEnumerable<EditRecord> EditsSinceAsync(TxId after, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EditRecord[] edits;
        lock (_gate)
        {
            edits = _edits.Where(e => e.TxId > after).ToArray();
        }

        foreach (var edit in edits)
        {
            await Task.Yield();
            yield return edit;
        }
    }

    /// <summary>Writes a file with <paramref name="bytes"/> of deterministic content.</summary>
    public Task WriteAsync(string path, int bytes, int seed, CancellationToken cancellationToken) =>
        CreateAsync(path, (s, ct) => s.WriteAsync(Content(bytes, seed), ct).AsTask(), overwrite: true, cancellationToken);

    private static void FlipMiddleByte(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        if (stream.Length == 0)
        {
            return;
        }

        stream.Position = stream.Length / 2;
        var b = (byte)stream.ReadByte();
        stream.Position = stream.Length / 2;
        stream.WriteByte((byte)~b);
    }

    public static byte[] Content(int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        return data;
    }

    private EditRecord Log(EditOp op, string path, string? destination, long size, string? checksum)
    {
        lock (_gate)
        {
            var txid = new TxId(++_txid);
            var record = new EditRecord(txid, op, path, destination, size, checksum, DateTimeOffset.UnixEpoch);
            _edits.Add(record);
            foreach (var p in destination is null ? [path] : new[] { path, destination })
            {
                for (var a = p; ; a = a.LastIndexOf('/') <= 0 ? "/" : a[..a.LastIndexOf('/')])
                {
                    _touched[a] = txid;
                    if (a == "/")
                    {
                        break;
                    }
                }
            }

            if (op is EditOp.Rename or EditOp.Create or EditOp.Mkdirs or EditOp.Exchange)
            {
                // an exchange changed everything below both of its paths
                foreach (var target in op == EditOp.Exchange ? [path, destination!] : new[] { destination ?? path })
                {
                    foreach (var key in _touched.Keys.Where(k => k.StartsWith(target + "/", StringComparison.Ordinal)).ToList())
                    {
                        _touched[key] = txid;
                    }
                }
            }

            return record;
        }
    }

    private NamespaceEntry? Entry(string path)
    {
        var local = Local(path);
        TxId txid;
        lock (_gate)
        {
            txid = _touched.GetValueOrDefault(path);
        }

        if (File.Exists(local))
        {
            var info = new FileInfo(local);
            return new NamespaceEntry(path, false, info.Length, info.LastWriteTimeUtc, txid);
        }

        return Directory.Exists(local) ? new NamespaceEntry(path, true, 0, Directory.GetLastWriteTimeUtc(local), txid) : null;
    }

    private bool Exists(string path) => File.Exists(Local(path)) || Directory.Exists(Local(path));

    private string Local(string path) => path == "/" ? root : Path.Combine(root, path.TrimStart('/'));

    private static string Normalize(string path)
    {
        if (!path.StartsWith('/') || path.Split('/').Any(s => s is "." or ".."))
        {
            throw new NamespacePathException("bad path", path);
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
