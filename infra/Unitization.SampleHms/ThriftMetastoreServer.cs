using System.Net;
using System.Net.Sockets;
using Thrift;
using Thrift.Protocol;
using Thrift.Transport;
using Thrift.Transport.Client;
using Unitization.Replication.Metastore.Sasl;
using Unitization.Replication.Metastore.Thrift;

namespace Unitization.SampleHms;

/// <summary>
/// Serves the HMS Thrift API on loopback: TBinaryProtocol over a buffered socket, one task per connection. Accepted
/// sockets get TCP_NODELAY, without which Nagle's algorithm and delayed ACKs stall each call by ~40 ms.
/// </summary>
public sealed class ThriftMetastoreServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ThriftHiveMetastore.AsyncProcessor _processor;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<string> _peers = [];
    private readonly Lock _gate = new();
    private readonly string? _kerberosQop;
    private Task? _accept;

    /// <param name="version">Hive 4 (the default) serves no <c>get_table</c>; Hive 3 serves it.</param>
    /// <param name="withoutMethods">More methods to answer with UNKNOWN_METHOD (e.g. <c>get_table_req</c>, as Hive before 2.1).</param>
    /// <param name="kerberosQop">When set, a Kerberized HMS: every connection negotiates SASL GSSAPI first (the service key from
    /// <c>KRB5_KTNAME</c>) offering these protection layers (<c>auth</c>, <c>auth-int</c>, <c>auth-conf</c>); a client that does not is dropped.</param>
    public ThriftMetastoreServer(SampleCatalog catalog, int port = 0, SampleHmsVersion version = SampleHmsVersion.Hive4, IReadOnlyCollection<string>? withoutMethods = null, string? kerberosQop = null)
    {
        _kerberosQop = kerberosQop;
        if (kerberosQop is not null)
        {
            _ = QopOffered(kerberosQop); // refused at construction, not per connection
        }

        var without = (withoutMethods ?? []).Concat(version == SampleHmsVersion.Hive4 ? ["get_table"] : []).ToList();
        _processor = new WithoutMethodsProcessor(new SampleMetastoreHandler(catalog, version), without);
        _listener = new TcpListener(IPAddress.Loopback, port);
        Version = version;
        WithoutMethods = without;
    }

    public SampleHmsVersion Version { get; }

    /// <summary>The Kerberos principals that connected over SASL GSSAPI, in order (a Kerberized server only).</summary>
    public IReadOnlyList<string> AuthenticatedPeers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers];
            }
        }
    }

    /// <summary>The methods this server answers with UNKNOWN_METHOD.</summary>
    public IReadOnlyList<string> WithoutMethods { get; }

    /// <summary>The port it listens on (known after <see cref="Start"/>; kept after stop, for a restart on the same port).</summary>
    public int Port { get; private set; }

    public string Uri => $"thrift://127.0.0.1:{Port}";

    public void Start()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptLoopAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accept is not null)
        {
            await _accept.ConfigureAwait(false);
        }

        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            var connection = ServeAsync(client, cancellationToken);
            lock (_gate)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var socket = new TSocketTransport(client, new TConfiguration());
        TTransport transport = _kerberosQop is null
            ? new TBufferedTransport(socket)
            : new TSaslTransport(socket, GssapiSasl.Server(QopOffered(_kerberosQop)), isClient: false);
        try
        {
            if (transport is TSaslTransport sasl)
            {
                await sasl.OpenAsync(cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _peers.Add(sasl.Peer ?? "?");
                }
            }

            var protocol = new TBinaryProtocol(transport);
            while (!cancellationToken.IsCancellationRequested && await _processor.ProcessAsync(protocol, protocol, cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (Exception ex) when (ex is TTransportException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the client went away or the server stops
        }
        finally
        {
            transport.Dispose();
            client.Dispose();
        }
    }

    private static SaslQop QopOffered(string qop) => qop switch
    {
        "auth-conf" => SaslQop.AuthConf,
        "auth-int" => SaslQop.AuthInt,
        "auth" => SaslQop.Auth,
        _ => throw new ArgumentException($"kerberosQop: '{qop}' is not auth, auth-int or auth-conf", nameof(qop)),
    };
}
