using Microsoft.Extensions.Logging;
using Unitization.Namespaces.Configuration;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces;

/// <summary>
/// The namespaces of the configured datacenters. A namespace is opened on first use (so a process that never touches a
/// datacenter holds no lock on it, nor a connection to it) and closed with the catalog; a local open refused because
/// another process holds the writer lock is tried again on the next <see cref="Get"/> (a standby writer), any other
/// failed open is kept. <c>local</c> datacenters are
/// opened here; other kinds (<c>hdfs</c>, alias <c>webhdfs</c>) by the <see cref="INamespaceFactory"/> registered for
/// them. A datacenter whose kind has no factory in this process fails on first use, naming the datacenter and the kind.
/// </summary>
public sealed class NamespaceCatalog : INamespaceCatalog, IDisposable
{
    private readonly Dictionary<string, NamespaceSlot> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _attempted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _followed = new(StringComparer.Ordinal);

    /// <param name="topology">The datacenters; local roots resolve against <see cref="TopologyOptions.DataFolder"/>.</param>
    /// <param name="timeProvider">Timestamps of edits and files.</param>
    /// <param name="loggerFactory">Optional logging.</param>
    /// <param name="readOnly">Open local namespaces read-only (tools next to a running service), unless a datacenter's <see cref="DatacenterOptions.Access"/> says otherwise.</param>
    /// <param name="factories">Builders of the non-local kinds (<c>hdfs</c>).</param>
    /// <param name="awaitCreation">With <paramref name="readOnly"/>: a local namespace not created yet opens empty and is followed once its writer creates it.</param>
    public NamespaceCatalog(
        TopologyOptions topology,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        bool readOnly = false,
        IEnumerable<INamespaceFactory>? factories = null,
        bool awaitCreation = false)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var byKind = (factories ?? []).ToDictionary(f => f.Kind, StringComparer.Ordinal);
        foreach (var datacenter in topology.Datacenters)
        {
            var id = datacenter.Id;
            switch (datacenter.Kind)
            {
                case "local":
                    var root = topology.ResolvePath(datacenter.Root ?? throw new ArgumentException($"Datacenter '{id}' is local but has no Root.", nameof(topology)));
                    var logger = loggerFactory?.CreateLogger<LocalNamespace>();
                    var follow = datacenter.Access switch { "follow" => true, "write" => false, _ => readOnly };
                    // a datacenter followed on its own setting waits for its writer as a following process does
                    var waitForWriter = follow && (awaitCreation || datacenter.Access == "follow");
                    if (follow)
                    {
                        _followed.Add(id);
                    }

                    _namespaces.Add(id, new NamespaceSlot(() => new LocalNamespace(id, root, timeProvider, logger, follow, waitForWriter)));
                    break;
                case "hdfs" or "webhdfs":
                    var factory = byKind.GetValueOrDefault("hdfs");
                    _namespaces.Add(id, new NamespaceSlot(() => factory?.Create(datacenter, topology) ?? throw new NotSupportedException(
                        $"Datacenter '{id}' is Kind '{datacenter.Kind}', but this process has no HDFS namespace support registered " +
                        "(Unitization.Hdfs's AddHdfsNamespaces); run it through the unitization executable.")));
                    break;
                default:
                    throw new NotSupportedException($"Datacenter '{id}' has unknown Kind '{datacenter.Kind}' (expected 'local' or 'hdfs').");
            }
        }

        Datacenters = [.. _namespaces.Keys];
        ReadOnly = readOnly;
    }

    /// <summary>Whether local namespaces are opened read-only (following their edit logs) rather than for writing.</summary>
    public bool ReadOnly { get; }

    public IReadOnlyList<string> Datacenters { get; }

    /// <summary>Whether <paramref name="datacenter"/> is a local namespace this process follows read-only (it takes no writes here).</summary>
    public bool Follows(string datacenter) => _followed.Contains(datacenter);

    public INamespace Get(string datacenter)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        if (!_namespaces.TryGetValue(datacenter, out var ns))
        {
            throw new KeyNotFoundException($"Unknown datacenter '{datacenter}'. Configured: {string.Join(", ", Datacenters)}.");
        }

        lock (_attempted)
        {
            _attempted.Add(datacenter);
        }

        return ns.Get();
    }

    /// <summary>
    /// What is wrong with the namespaces opened so far, by datacenter: one that refused to open (its error), or one that
    /// holds edits it could not apply. Namespaces not yet opened are not opened by asking.
    /// </summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] attempted;
        lock (_attempted)
        {
            attempted = [.. _attempted];
        }

        foreach (var (id, ns) in attempted.Select(id => (id, _namespaces[id])))
        {
            try
            {
                if (ns.Get() is LocalNamespace { UnappliedEdits: [var first, ..] })
                {
                    problems[id] = $"{first}; writes are refused until 'unitization fs recover --namespace {id}'";
                }
            }
            catch (NamespaceWriterHeldException)
            {
                // another process is the writer: this one is a standby, which is no problem of the namespace
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or NotSupportedException or HttpRequestException)
            {
                problems[id] = "cannot open: " + ex.Message;
            }
        }

        return problems;
    }

    public void Dispose()
    {
        foreach (var slot in _namespaces.Values)
        {
            (slot.Opened as IDisposable)?.Dispose();
        }
    }
}
