using System.Buffers.Binary;
using System.Text;
using Thrift;
using Thrift.Transport;

namespace Unitization.Replication.Metastore.Sasl;

/// <summary>
/// Thrift's SASL transport (<c>TSaslClientTransport</c>/<c>TSaslServerTransport</c>), which a Kerberized Hive
/// Metastore speaks. Negotiation frames are a status byte (<see cref="SaslStatus"/>) and a 4-byte big-endian length;
/// the client opens with START naming the mechanism, then its initial response (OK, or COMPLETE when it is already
/// done), and both sides trade OK frames until each is COMPLETE; BAD and ERROR carry the reason and end it. After
/// that every message is one data frame: a 4-byte big-endian length and the bytes, wrapped by the mechanism when it
/// negotiated integrity or confidentiality.
/// </summary>
internal sealed class TSaslTransport : TLayeredTransport
{
    private const int MaxNegotiationFrame = 1 << 20;
    private readonly ISaslMechanism _mechanism;
    private readonly bool _isClient;
    private readonly MemoryStream _write = new();
    private byte[] _read = [];
    private int _readPosition;
    private bool _negotiated;
    private bool _disposed;

    public TSaslTransport(TTransport inner, ISaslMechanism mechanism, bool isClient)
        : base(inner)
    {
        _mechanism = mechanism;
        _isClient = isClient;
    }

    /// <summary>Who the other side proved to be (server side), once open.</summary>
    public string? Peer => _mechanism.Peer;

    public override bool IsOpen => !_disposed && InnerTransport.IsOpen && _negotiated;

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (!InnerTransport.IsOpen)
        {
            await InnerTransport.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_isClient)
        {
            await NegotiateAsClientAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await NegotiateAsServerAsync(cancellationToken).ConfigureAwait(false);
        }

        _negotiated = true;
    }

    private async Task NegotiateAsClientAsync(CancellationToken cancellationToken)
    {
        await SendAsync(SaslStatus.Start, Encoding.UTF8.GetBytes(_mechanism.Name), cancellationToken).ConfigureAwait(false);
        var response = await StepAsync(() => _mechanism.Initial(), SaslStatus.Error, cancellationToken).ConfigureAwait(false);
        await SendAsync(_mechanism.IsComplete ? SaslStatus.Complete : SaslStatus.Ok, response, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var (status, payload) = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (status == SaslStatus.Complete && _mechanism.IsComplete)
            {
                return;
            }

            if (status is not (SaslStatus.Ok or SaslStatus.Complete))
            {
                throw await FailAsync($"expected OK or COMPLETE from the server, got {status}", cancellationToken).ConfigureAwait(false);
            }

            var answer = await StepAsync(() => _mechanism.Evaluate(payload), SaslStatus.Error, cancellationToken).ConfigureAwait(false);
            if (status == SaslStatus.Complete)
            {
                // the server is done; so must this side be, with nothing left to say
                if (_mechanism.IsComplete && answer.Length == 0)
                {
                    return;
                }

                throw await FailAsync("the server completed the negotiation before the client", cancellationToken).ConfigureAwait(false);
            }

            await SendAsync(_mechanism.IsComplete ? SaslStatus.Complete : SaslStatus.Ok, answer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task NegotiateAsServerAsync(CancellationToken cancellationToken)
    {
        var (status, payload) = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        var name = Encoding.UTF8.GetString(payload);
        if (status != SaslStatus.Start || !string.Equals(name, _mechanism.Name, StringComparison.Ordinal))
        {
            throw await FailAsync(status != SaslStatus.Start ? $"expected START, got {status}" : $"mechanism '{name}' is not offered (only {_mechanism.Name})", cancellationToken, SaslStatus.Bad).ConfigureAwait(false);
        }

        while (true)
        {
            (status, payload) = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (status is not (SaslStatus.Ok or SaslStatus.Complete))
            {
                throw await FailAsync($"expected OK or COMPLETE from the client, got {status}", cancellationToken, SaslStatus.Bad).ConfigureAwait(false);
            }

            if (status == SaslStatus.Complete && _mechanism.IsComplete && payload.Length == 0)
            {
                return;
            }

            var challenge = await StepAsync(() => _mechanism.Evaluate(payload), SaslStatus.Bad, cancellationToken).ConfigureAwait(false);
            await SendAsync(_mechanism.IsComplete ? SaslStatus.Complete : SaslStatus.Ok, challenge, cancellationToken).ConfigureAwait(false);
            if (_mechanism.IsComplete)
            {
                return;
            }
        }
    }

    /// <summary>One step of the mechanism; a failure is told to the peer (BAD from the server, ERROR from the client) and thrown.</summary>
    private async Task<byte[]> StepAsync(Func<byte[]> step, SaslStatus failure, CancellationToken cancellationToken)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Security.Authentication.AuthenticationException)
        {
            throw await FailAsync(ex.Message, cancellationToken, failure).ConfigureAwait(false);
        }
    }

    private static byte[] Guard(Func<byte[]> step)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Security.Authentication.AuthenticationException)
        {
            throw new TTransportException(TTransportException.ExceptionType.Unknown, $"SASL {ex.Message}");
        }
    }

    private async Task<TTransportException> FailAsync(string reason, CancellationToken cancellationToken, SaslStatus status = SaslStatus.Error)
    {
        try
        {
            await SendAsync(status, Encoding.UTF8.GetBytes(reason), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TTransportException or IOException)
        {
            // the peer is gone already; the reason is still ours to report
        }

        return new TTransportException(TTransportException.ExceptionType.Unknown, $"SASL negotiation failed: {reason}");
    }

    private async Task SendAsync(SaslStatus status, byte[] payload, CancellationToken cancellationToken)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = (byte)status;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        await InnerTransport.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
        await InnerTransport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(SaslStatus Status, byte[] Payload)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var header = new byte[5];
        await InnerTransport.ReadAllAsync(header, 0, 5, cancellationToken).ConfigureAwait(false);
        var status = (SaslStatus)header[0];
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (!Enum.IsDefined(status) || length < 0 || length > MaxNegotiationFrame)
        {
            throw new TTransportException(TTransportException.ExceptionType.Unknown, $"SASL negotiation: invalid frame (status byte {header[0]}, length {length}); is the peer speaking SASL?");
        }

        var payload = new byte[length];
        await InnerTransport.ReadAllAsync(payload, 0, length, cancellationToken).ConfigureAwait(false);
        if (status is SaslStatus.Bad or SaslStatus.Error)
        {
            throw new TTransportException(TTransportException.ExceptionType.Unknown, $"SASL negotiation refused by the peer ({status}): {Encoding.UTF8.GetString(payload)}");
        }

        return (status, payload);
    }

    public override void Close() => InnerTransport.Close();

    public override async ValueTask<int> ReadAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!IsOpen)
        {
            throw new TTransportException(TTransportException.ExceptionType.NotOpen);
        }

        if (_readPosition >= _read.Length)
        {
            var header = new byte[4];
            await InnerTransport.ReadAllAsync(header, 0, 4, cancellationToken).ConfigureAwait(false);
            var size = BinaryPrimitives.ReadInt32BigEndian(header);
            if (size < 0 || size > Configuration.MaxFrameSize)
            {
                throw new TTransportException(TTransportException.ExceptionType.Unknown, $"SASL data frame of {size} bytes (at most {Configuration.MaxFrameSize})");
            }

            var frame = new byte[size];
            await InnerTransport.ReadAllAsync(frame, 0, size, cancellationToken).ConfigureAwait(false);
            _read = _mechanism.WrapsData ? Guard(() => _mechanism.Unwrap(frame)) : frame;
            _readPosition = 0;
        }

        var count = Math.Min(length, _read.Length - _readPosition);
        Buffer.BlockCopy(_read, _readPosition, buffer, offset, count);
        _readPosition += count;
        return count;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int length, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new TTransportException(TTransportException.ExceptionType.NotOpen);
        }

        _write.Write(buffer, offset, length);
        return Task.CompletedTask;
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        var data = _write.ToArray();
        _write.SetLength(0);
        var payload = _mechanism.WrapsData ? Guard(() => _mechanism.Wrap(data)) : data;
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(4));
        await InnerTransport.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
        await InnerTransport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void CheckReadBytesAvailable(long numBytes)
    {
        var buffered = _read.Length - _readPosition;
        if (buffered < numBytes)
        {
            InnerTransport.CheckReadBytesAvailable(numBytes - buffered);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _write.Dispose();
            _mechanism.Dispose();
            InnerTransport.Dispose();
        }

        _disposed = true;
    }
}
