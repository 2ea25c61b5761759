using Microsoft.Extensions.Logging;
using Unitization.Namespaces.Configuration;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces;

/// <summary>
/// The namespaces of the configured datacenters. A local namespace is opened on first use (so a process that never
/// touches a datacenter holds no lock on it) and closed with the catalog. <c>webhdfs</c> datacenters are refused at
/// construction: the WebHDFS adapter (an <see cref="INamespace"/> over the NameNode's REST API) is not built yet.
/// </summary>
public sealed class NamespaceCatalog : INamespaceCatalog, IDisposable
{
    private readonly Dictionary<string, Lazy<LocalNamespace>> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _attempted = new(StringComparer.Ordinal);

    /// <param name="topology">The datacenters; local roots resolve against <see cref="TopologyOptions.DataFolder"/>.</param>
    /// <param name="timeProvider">Timestamps of edits and files.</param>
    /// <param name="loggerFactory">Optional logging.</param>
    /// <param name="readOnly">Open local namespaces read-only (tools next to a running service).</param>
    public NamespaceCatalog(TopologyOptions topology, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(timeProvider);
        foreach (var datacenter in topology.Datacenters)
        {
            switch (datacenter.Kind)
            {
                case "local":
                    var id = datacenter.Id;
                    var root = topology.ResolvePath(datacenter.Root ?? throw new ArgumentException($"Datacenter '{id}' is local but has no Root.", nameof(topology)));
                    var logger = loggerFactory?.CreateLogger<LocalNamespace>();
                    _namespaces.Add(id, new Lazy<LocalNamespace>(() => new LocalNamespace(id, root, timeProvider, logger, readOnly)));
                    break;
                case "webhdfs":
                    throw new NotSupportedException(
                        $"Datacenter '{datacenter.Id}' is configured as Kind 'webhdfs' ({datacenter.WebHdfsUrl}), but the WebHDFS adapter is not built yet; " +
                        "configure it as Kind 'local' with a Root for now.");
                default:
                    throw new NotSupportedException($"Datacenter '{datacenter.Id}' has unknown Kind '{datacenter.Kind}' (expected 'local' or 'webhdfs').");
            }
        }

        Datacenters = [.. _namespaces.Keys];
    }

    public IReadOnlyList<string> Datacenters { get; }

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

        return ns.Value;
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
                if (ns.Value.UnappliedEdits is [var first, ..])
                {
                    problems[id] = $"{first}; writes are refused until 'unitization fs recover --namespace {id}'";
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                problems[id] = "cannot open: " + ex.Message;
            }
        }

        return problems;
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces.Values.Where(n => n.IsValueCreated))
        {
            ns.Value.Dispose();
        }
    }
}
