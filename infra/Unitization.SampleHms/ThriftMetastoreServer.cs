using System.Net;
using System.Net.Sockets;
using Thrift;
using Thrift.Protocol;
using Thrift.Transport;
using Thrift.Transport.Client;
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
    private readonly Lock _gate = new();
    private Task? _accept;

    public ThriftMetastoreServer(SampleCatalog catalog, int port = 0)
    {
        _processor = new ThriftHiveMetastore.AsyncProcessor(new SampleMetastoreHandler(catalog));
        _listener = new TcpListener(IPAddress.Loopback, port);
    }

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
        var transport = new TBufferedTransport(new TSocketTransport(client, new TConfiguration()));
        try
        {
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
}
