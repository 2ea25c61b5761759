using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Unitization.Host.Hosting;
using Unitization.Hdfs.Hosting;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;

namespace Unitization.Host.Cli;

/// <summary>
/// What an <c>fs</c> verb works on: the configured topology and one datacenter's namespace, opened read-only for
/// verbs that only look (so they work next to a running service, which holds the writer lock). The namespace's
/// warnings and errors (a torn last edit dropped or ignored, an edit that cannot be applied) go to standard error.
/// </summary>
internal sealed class FsSession : IDisposable
{
    private readonly NamespaceCatalog _catalog;
    private readonly ILoggerFactory _logging;

    private FsSession(NamespaceCatalog catalog, ILoggerFactory logging, INamespace ns)
    {
        _catalog = catalog;
        _logging = logging;
        Namespace = ns;
    }

    public INamespace Namespace { get; }

    public static FsSession Open(string configPath, string? dataFolder, string datacenter, bool write)
    {
        var configuration = ConfigurationFile.ForCommand(configPath, dataFolder);
        var topology = new TopologyOptions();
        configuration.Bind(topology);
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(topology, new ValidationContext(topology), errors, validateAllProperties: true))
        {
            throw new ConfigurationFileException(string.Join(
                Environment.NewLine,
                errors.Select(e => $"{Path.GetFullPath(configPath)}: {string.Join(",", e.MemberNames)}: {e.ErrorMessage}")));
        }

        var logging = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var catalog = new NamespaceCatalog(topology, TimeProvider.System, logging, readOnly: !write, [new HdfsNamespaceFactory(TimeProvider.System, logging)]);
        try
        {
            return new FsSession(catalog, logging, catalog.Get(datacenter));
        }
        catch
        {
            catalog.Dispose();
            logging.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _logging.Dispose();
    }
}
