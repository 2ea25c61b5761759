using System.Net;
using System.Net.Sockets;
using System.Text;
using Thrift;
using Thrift.Transport;
using Thrift.Transport.Client;
using Unitization.Replication.Metastore.Sasl;

namespace Unitization.Replication.Tests.Metastore.Sasl;

/// <summary>
/// Thrift's SASL framing, independent of Kerberos: a two-round test mechanism that wraps data (XOR) drives the
/// negotiation frames (status byte + 4-byte big-endian length) and the data frames over a real loopback socket.
/// </summary>
public sealed class TSaslTransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Client: "hello" → server: "prove" → client: "proof" (complete) → server: complete. Data XOR 0x5A once complete.</summary>
    private sealed class EchoMechanism(bool isClient, string proof = "proof") : ISaslMechanism
    {
        private int _round;

        public string Name => "X-TEST";

        public bool IsComplete { get; private set; }

        public string? Peer { get; private set; }

        public bool WrapsData => IsComplete;

        public byte[] Initial() => "hello"u8.ToArray();

        public byte[] Evaluate(ReadOnlySpan<byte> token)
        {
            var text = Encoding.ASCII.GetString(token);
            _round++;
            if (isClient)
            {
                IsComplete = true;
                return text == "prove" ? Encoding.ASCII.GetBytes(proof) : throw new InvalidOperationException($"unexpected challenge '{text}'");
            }

            if (_round == 1)
            {
                return text == "hello" ? "prove"u8.ToArray() : throw new InvalidOperationException($"unexpected greeting '{text}'");
            }

            if (text != "proof")
            {
                throw new InvalidOperationException("wrong proof");
            }

            IsComplete = true;
            Peer = "tester";
            return [];
        }

        public byte[] Wrap(ReadOnlySpan<byte> data) => [.. data.ToArray().Select(b => (byte)(b ^ 0x5A))];

        public byte[] Unwrap(ReadOnlySpan<byte> frame) => Wrap(frame);

        public void Dispose()
        {
        }
    }

    private static async Task<(TSaslTransport Client, Task<TSaslTransport> Server, TcpListener Listener)> ConnectAsync(string proof = "proof")
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            var accepted = await listener.AcceptTcpClientAsync(Ct);
            var transport = new TSaslTransport(new TSocketTransport(accepted, new TConfiguration()), new EchoMechanism(isClient: false), isClient: false);
            await transport.OpenAsync(Ct);
            return transport;
        }, Ct);
        var client = new TSaslTransport(new TSocketTransport("127.0.0.1", port, new TConfiguration(), 5000), new EchoMechanism(isClient: true, proof), isClient: true);
        await client.OpenAsync(Ct);
        return (client, server, listener);
    }

    [Fact]
    public async Task Open_BothSidesNegotiate_DataFramesWrappedBothWays()
    {
        var (client, serverTask, listener) = await ConnectAsync();
        using var _ = client;
        using var server = await serverTask;
        listener.Stop();

        Assert.Equal("tester", server.Peer);
        var message = "get_current_notificationEventId"u8.ToArray();
        await client.WriteAsync(message, 0, message.Length, Ct);
        await client.FlushAsync(Ct);
        var received = new byte[message.Length];
        await server.ReadAllAsync(received, 0, received.Length, Ct);
        Assert.Equal(message, received);

        var answer = "42"u8.ToArray();
        await server.WriteAsync(answer, 0, answer.Length, Ct);
        await server.FlushAsync(Ct);
        var back = new byte[2];
        await client.ReadAllAsync(back, 0, 2, Ct);
        Assert.Equal(answer, back);
    }

    [Fact]
    public async Task Open_ServerRefusesTheProof_ClientGetsTheReason()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(Ct);
            using var transport = new TSaslTransport(new TSocketTransport(accepted, new TConfiguration()), new EchoMechanism(isClient: false), isClient: false);
            return await Assert.ThrowsAsync<TTransportException>(() => transport.OpenAsync(Ct));
        }, Ct);
        using var client = new TSaslTransport(new TSocketTransport("127.0.0.1", port, new TConfiguration(), 5000), new EchoMechanism(isClient: true, proof: "forged"), isClient: true);

        var error = await Assert.ThrowsAsync<TTransportException>(() => client.OpenAsync(Ct));
        var serverError = await server;
        listener.Stop();

        Assert.Contains("wrong proof", serverError.Message, StringComparison.Ordinal);
        Assert.Contains("refused by the peer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FirstFrames_StartWithTheMechanismThenTheInitialResponse()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var wire = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(Ct);
            var bytes = new byte[21];
            await accepted.GetStream().ReadExactlyAsync(bytes, Ct);
            return bytes;
        }, Ct);
        using var client = new TSaslTransport(new TSocketTransport("127.0.0.1", port, new TConfiguration(), 5000), new EchoMechanism(isClient: true), isClient: true);
        var open = client.OpenAsync(Ct);

        var frames = await wire;
        listener.Stop();

        // START (1), length 6, "X-TEST"; OK (2), length 5, "hello"
        byte[] expected = [1, 0, 0, 0, 6, .. "X-TEST"u8.ToArray(), 2, 0, 0, 0, 5, .. "hello"u8.ToArray()];
        Assert.Equal(expected, frames);
        await Assert.ThrowsAnyAsync<Exception>(() => open); // the peer hung up without answering
    }
}
