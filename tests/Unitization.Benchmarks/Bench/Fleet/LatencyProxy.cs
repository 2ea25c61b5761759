using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Unitization.Benchmarks.Bench.Fleet;

/// <summary>
/// A TCP relay on loopback that adds <see cref="RoundTrip"/> to every request and answer that crosses it (half each
/// way, each chunk held until its time, order and pipelining kept): the wide-area round trip between a replicator and
/// the services it waits on (HMS, NameNodes), which loopback does not have.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LatencyProxy(IPEndPoint target, TimeSpan roundTrip)
    {
        _target = target;
        RoundTrip = roundTrip;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TimeSpan RoundTrip { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static IPEndPoint EndPointOf(Uri uri) => new(IPAddress.Parse(uri.Host), uri.Port);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var half = RoundTrip / 2;
                var up = PumpAsync(client.GetStream(), upstream.GetStream(), half, done.Token);
                var down = PumpAsync(upstream.GetStream(), client.GetStream(), half, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                await done.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // either side closed
            }
        }
    }

    /// <summary>Reads chunks as they come and writes each one <paramref name="delay"/> after it arrived; ends when the source closes.</summary>
    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TimeSpan delay, CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateUnbounded<(long Due, byte[] Bytes)>();
        var writing = Task.Run(
            async () =>
            {
                await foreach (var (due, bytes) in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (left > TimeSpan.Zero)
                    {
                        await Task.Delay(left, cancellationToken).ConfigureAwait(false);
                    }

                    await to.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var due = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
                chunks.Writer.TryWrite((due, buffer[..read]));
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
        }

        await writing.ConfigureAwait(false);
        to.Socket.Shutdown(SocketShutdown.Send);
    }
}
