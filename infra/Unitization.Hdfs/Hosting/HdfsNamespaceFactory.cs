using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.Hdfs.Journal;
using Unitization.Hdfs.WebHdfs;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;

namespace Unitization.Hdfs.Hosting;

/// <summary>
/// Builds a <c>Kind: hdfs</c> datacenter's namespace: files over WebHDFS (<see cref="WebHdfsNamespace"/>, the
/// configured NameNodes, failing over), versions from the NameNode's edit log (<see cref="JournalFollowedNamespace"/>
/// over a <see cref="JournalEditsTail"/> of the configured JournalNodes or shared edits directory).
/// </summary>
public sealed class HdfsNamespaceFactory(TimeProvider time, ILoggerFactory? loggerFactory = null) : INamespaceFactory
{
    private readonly ILoggerFactory _logging = loggerFactory ?? NullLoggerFactory.Instance;

    public string Kind => "hdfs";

    public INamespace Create(DatacenterOptions datacenter, TopologyOptions topology)
    {
        ArgumentNullException.ThrowIfNull(datacenter);
        ArgumentNullException.ThrowIfNull(topology);
        var auth = AuthOf(datacenter, topology);
        auth.Validate();
        var files = new WebHdfsNamespace(datacenter.Id, datacenter.NameNodeUrls(), auth, null, time, _logging.CreateLogger<WebHdfsNamespace>());
        var source = SourceOf(datacenter.Journal, auth, topology);
        var journal = datacenter.Journal;
        return new JournalFollowedNamespace(
            files,
            () => new JournalEditsTail(source, time, journal.FirstSegmentTxId) { PollInterval = journal.PollInterval },
            time,
            _logging.CreateLogger<JournalFollowedNamespace>(),
            lastWritten: source.LastWrittenTxIdAsync);
    }

    /// <summary>The WebHDFS identity of <paramref name="datacenter"/> (a token file is read here, at the namespace's first use).</summary>
    internal static WebHdfsAuth AuthOf(DatacenterOptions datacenter, TopologyOptions topology)
    {
        var options = datacenter.Auth;
        var auth = options.Method switch
        {
            "simple" => WebHdfsAuth.Simple(options.User!),
            "token" => WebHdfsAuth.Token(options.DelegationToken ?? ReadToken(datacenter.Id, topology.ResolvePath(options.DelegationTokenFile!))),
            "kerberos" => WebHdfsAuth.Kerberos(options.FetchDelegationToken, options.Renewer),
            _ => throw new ArgumentException($"Datacenter '{datacenter.Id}': Auth Method '{options.Method}' is unknown (expected 'simple', 'token' or 'kerberos').", nameof(datacenter)),
        };
        return options.GatewayBearerToken is { Length: > 0 } bearer ? auth with { BearerToken = bearer } : auth;
    }

    private static string ReadToken(string datacenter, string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Datacenter '{datacenter}': cannot read Auth:DelegationTokenFile {file}: {ex.Message}", ex);
        }
    }

    private static IEditSegmentSource SourceOf(HdfsJournalOptions journal, WebHdfsAuth auth, TopologyOptions topology)
    {
        if (journal.JournalNodes.Count == 0)
        {
            return new SharedEditsDirectorySource(topology.ResolvePath(journal.SharedEditsDirectory!));
        }

        // a secure JournalNode takes SPNEGO (the NameNode's own login); elsewhere plain HTTP
        var http = new HttpClient(auth.Mode == WebHdfsAuthMode.Kerberos ? WebHdfsHttp.CreateHandler(auth) : new SocketsHttpHandler(), disposeHandler: true)
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        var nodes = journal.JournalNodes.Select(node => (IEditSegmentSource)new JournalNodeSegmentSource(http, node, journal.JournalId!)).ToArray();
        return nodes.Length == 1 ? nodes[0] : new FailoverSegmentSource(nodes);
    }
}
