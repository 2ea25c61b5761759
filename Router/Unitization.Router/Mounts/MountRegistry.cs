using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces;

using Unitization.StateStore.Changes;

namespace Unitization.Router.Mounts;

/// <summary>
/// The live mount table: configuration mounts overlaid with the admin API's mounts from the state store. Every change
/// builds a new immutable <see cref="MountTable"/> and swaps it in atomically, so reads in flight keep a consistent one.
/// </summary>
public sealed class MountRegistry
{
    private readonly IReadOnlyList<MirroredMount> _configured;
    private readonly IMountStore _store;
    private readonly IReadOnlyCollection<string> _datacenters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile MountTable _current;
    private readonly Dictionary<string, WriteGate> _writes = new(StringComparer.Ordinal);
    private ImmutableHashSet<string> _writeFenced = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    internal MountRegistry(IOptions<RouterOptions> options, INamespaceCatalog catalog, IMountStore store, TimeProvider time, ILogger<MountRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        _store = store;
        _time = time;
        _logger = logger;
        _datacenters = catalog.Datacenters.ToArray();
        var errors = new List<string>();
        var configured = new List<MirroredMount>();
        var mounts = options.Value.Mounts;
        for (var i = 0; i < mounts.Count; i++)
        {
            var own = new List<string>();
            if (mounts[i].ToMount("config", _datacenters, own) is { } mount)
            {
                configured.Add(mount);
            }

            errors.AddRange(own.Select(e => $"{RouterOptions.SectionName}:Mounts:{i}:{e}"));
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        _configured = configured;
        _current = new MountTable(configured);
    }

    public MountTable Current => _current;

    /// <summary>Whether writes under the mount at <paramref name="mountPath"/> are held back (its primary is being switched).</summary>
    public bool IsWriteFenced(string mountPath) => _writeFenced.Contains(mountPath);

    /// <summary>
    /// A write under the mount at <paramref name="mountPath"/> begins: dispose the lease when it has ended (the bytes are
    /// in the namespace or the write failed). Null when writes there are held back.
    /// </summary>
    public IDisposable? EnterWrite(string mountPath)
    {
        lock (_writes)
        {
            if (_writes.TryGetValue(mountPath, out var gate) && gate.Fenced)
            {
                return null;
            }

            if (gate is null)
            {
                _writes[mountPath] = gate = new WriteGate();
            }

            gate.Active++;
        }

        return new WriteLease(this, mountPath);
    }

    /// <summary>Holds back new writes under a mount in this process and waits until the writes under way have ended.</summary>
    internal Task FenceAsync(string mountPath, CancellationToken cancellationToken)
    {
        Task drained;
        lock (_writes)
        {
            if (!_writes.TryGetValue(mountPath, out var gate))
            {
                _writes[mountPath] = gate = new WriteGate();
            }

            gate.Fenced = true;
            ImmutableInterlocked.Update(ref _writeFenced, set => set.Add(mountPath));
            drained = gate.Active == 0 ? Task.CompletedTask : gate.Drained.Task;
        }

        return drained.WaitAsync(cancellationToken);
    }

    internal void Unfence(string mountPath)
    {
        lock (_writes)
        {
            if (_writes.TryGetValue(mountPath, out var gate))
            {
                gate.Fenced = false;
                gate.Drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (gate.Active == 0)
                {
                    _writes.Remove(mountPath);
                }
            }

            ImmutableInterlocked.Update(ref _writeFenced, set => set.Remove(mountPath));
        }
    }

    private void ExitWrite(string mountPath)
    {
        lock (_writes)
        {
            var gate = _writes[mountPath];
            gate.Active--;
            if (gate.Active == 0)
            {
                if (gate.Fenced)
                {
                    gate.Drained.TrySetResult();
                }
                else
                {
                    _writes.Remove(mountPath);
                }
            }
        }
    }

    private sealed class WriteGate
    {
        public int Active { get; set; }

        public bool Fenced { get; set; }

        public TaskCompletionSource Drained { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class WriteLease(MountRegistry registry, string mountPath) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                registry.ExitWrite(mountPath);
            }
        }
    }

    /// <summary>Where a mount change is announced to the other instances of the fleet (null: this process alone).</summary>
    internal IStateChangeFeed? Changes { get; init; }

    /// <summary>Re-reads the admin API's mounts from the state store and swaps in the merged table.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var merged = _configured.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var fromApi = 0;
        foreach (var options in stored)
        {
            var errors = new List<string>();
            if (options.ToMount("api", _datacenters, errors) is { } mount)
            {
                merged[mount.Path] = mount;
                fromApi++;
            }
            else
            {
                RouterLog.StoredMountInvalid(_logger, options.Path, string.Join("; ", errors));
            }
        }

        var previous = _current;
        var table = new MountTable(merged.Values);
        _current = table;
        if (previous.Count != table.Count || !previous.Mounts.SequenceEqual(table.Mounts, MountComparer.Instance))
        {
            RouterLog.MountsLoaded(_logger, table.Count, fromApi);
        }
    }

    /// <summary>Adds or replaces a mount; returns the errors (field: message) when the definition is invalid.</summary>
    public async Task<IReadOnlyList<string>> PutAsync(MountOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var mount = options.ToMount("api", _datacenters, errors);
        if (mount is null)
        {
            return errors;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.PutAsync(MountOptions.From(mount), _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            await AnnounceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        RouterLog.MountChanged(_logger, mount.Path, "put");
        return [];
    }

    /// <summary>Removes an API mount (a configured mount underneath, if any, applies again).</summary>
    public async Task<MountRemoval> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        if (!RouterPath.TryNormalize(path, out var normal, out _))
        {
            return MountRemoval.NotFound;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await _store.DeleteAsync(normal, cancellationToken).ConfigureAwait(false))
            {
                return _configured.Any(m => m.Path == normal) ? MountRemoval.Configured : MountRemoval.NotFound;
            }

            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            await AnnounceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        RouterLog.MountChanged(_logger, normal, "deleted");
        return MountRemoval.Removed;
    }

    private sealed class MountComparer : IEqualityComparer<MirroredMount>
    {
        public static readonly MountComparer Instance = new();

        public bool Equals(MirroredMount? x, MirroredMount? y) =>
            x is not null && y is not null && x.Path == y.Path && x.Kind == y.Kind && x.Source == y.Source && x.Destinations.SequenceEqual(y.Destinations);

        public int GetHashCode(MirroredMount obj) => obj.Path.GetHashCode(StringComparison.Ordinal);
    }

    private Task AnnounceAsync(CancellationToken cancellationToken) =>
        Changes is null ? Task.CompletedTask : Changes.PublishAsync(StateChangeKinds.Mounts, cancellationToken);
}
