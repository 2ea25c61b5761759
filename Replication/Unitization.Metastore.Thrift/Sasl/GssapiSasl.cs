using System.Buffers;
using System.Net.Security;

namespace Unitization.Replication.Metastore.Sasl;

/// <summary>
/// The SASL GSSAPI mechanism (RFC 4752) over .NET's <see cref="NegotiateAuthentication"/> with the Kerberos package
/// (GSSAPI on Linux): the Kerberos context tokens first (AP-REQ, AP-REP), then the security-layer exchange — the server
/// offers its layers and largest buffer in a wrapped 4-byte message, the client answers with the layer it takes, its
/// buffer and an empty authorization id — after which data is wrapped (integrity or confidentiality) or passed as is.
/// Client credentials come from the ticket cache (<c>KRB5CCNAME</c>) or <c>KRB5_CLIENT_KTNAME</c>; the server's key from
/// <c>KRB5_KTNAME</c>.
/// </summary>
internal sealed class GssapiSasl : ISaslMechanism
{
    /// <summary>The largest wrapped message either side takes, as the offer and the answer carry it (3 bytes, big-endian: 16 MiB - 1).</summary>
    private static readonly byte[] MaxBufferBytes = [0xFF, 0xFF, 0xFF];
    private readonly NegotiateAuthentication _context;
    private readonly bool _isClient;
    private readonly SaslQop _qop;
    private int _stage; // 0: Kerberos context; 1: security layer to offer (server) / to choose (client); 2: done
    private SaslQop _chosen = SaslQop.Auth;

    private GssapiSasl(NegotiateAuthentication context, bool isClient, SaslQop qop)
    {
        _context = context;
        _isClient = isClient;
        _qop = qop == SaslQop.None ? SaslQop.Auth : qop;
    }

    /// <summary>A client for <paramref name="servicePrincipal"/> (<c>hive/host@REALM</c> or <c>hive/host</c>) accepting the layers in <paramref name="qop"/> (the strongest offered wins).</summary>
    public static GssapiSasl Client(string servicePrincipal, SaslQop qop) =>
        new(new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = "Kerberos",
            TargetName = servicePrincipal,
            RequiredProtectionLevel = ProtectionLevel.EncryptAndSign,
            RequireMutualAuthentication = true,
        }), isClient: true, qop);

    /// <summary>A server offering the layers in <paramref name="qop"/>.</summary>
    public static GssapiSasl Server(SaslQop qop) =>
        new(new NegotiateAuthentication(new NegotiateAuthenticationServerOptions
        {
            Package = "Kerberos",
            RequiredProtectionLevel = ProtectionLevel.EncryptAndSign,
        }), isClient: false, qop);

    public string Name => "GSSAPI";

    public bool IsComplete => _stage == 2;

    public string? Peer => _context.IsAuthenticated ? _context.RemoteIdentity.Name : null;

    /// <summary>The layer the exchange settled on.</summary>
    public SaslQop Chosen => _chosen;

    public bool WrapsData => IsComplete && _chosen != SaslQop.Auth;

    public byte[] Initial() => _isClient ? ContextStep([]) : throw new InvalidOperationException("GSSAPI: the server sends no initial response");

    public byte[] Evaluate(ReadOnlySpan<byte> token)
    {
        if (_stage == 0)
        {
            var output = ContextStep(token);
            if (!_isClient && _stage == 1 && output.Length == 0)
            {
                return Offer(); // nothing of the context left to send: straight to the security layer
            }

            return output;
        }

        return (_isClient, _stage) switch
        {
            (false, 1) => Offer(),
            (true, 1) => Choose(token),
            (false, 3) => Accept(token),
            _ => throw new InvalidOperationException("GSSAPI: a token after the negotiation completed"),
        };
    }

    private byte[] ContextStep(ReadOnlySpan<byte> incoming)
    {
        var blob = _context.GetOutgoingBlob(incoming, out var status);
        switch (status)
        {
            case NegotiateAuthenticationStatusCode.Completed:
                _stage = 1;
                return blob ?? [];
            case NegotiateAuthenticationStatusCode.ContinueNeeded:
                return blob ?? [];
            default:
                throw new System.Security.Authentication.AuthenticationException($"GSSAPI: the Kerberos context failed ({status}){(_isClient ? $" for {_context.TargetName}: is there a ticket (kinit) and does the principal exist?" : ": is the service's key in KRB5_KTNAME?")}");
        }
    }

    /// <summary>Server: the wrapped offer of layers and buffer size.</summary>
    private byte[] Offer()
    {
        _stage = 3;
        return WrapOrThrow([(byte)_qop, MaxBufferBytes[0], MaxBufferBytes[1], MaxBufferBytes[2]], encrypt: false);
    }

    /// <summary>Client: picks the strongest layer both allow and answers (wrapped).</summary>
    private byte[] Choose(ReadOnlySpan<byte> challenge)
    {
        var offer = UnwrapOrThrow(challenge);
        if (offer.Length != 4)
        {
            throw new InvalidOperationException($"GSSAPI: the server's security-layer offer is {offer.Length} bytes, not 4");
        }

        var both = (SaslQop)offer[0] & _qop;
        _chosen = both.HasFlag(SaslQop.AuthConf) ? SaslQop.AuthConf : both.HasFlag(SaslQop.AuthInt) ? SaslQop.AuthInt : both.HasFlag(SaslQop.Auth) ? SaslQop.Auth
            : throw new InvalidOperationException($"GSSAPI: the server offers {(SaslQop)offer[0]}, this client accepts only {_qop}");
        _stage = 2;
        return WrapOrThrow([(byte)_chosen, MaxBufferBytes[0], MaxBufferBytes[1], MaxBufferBytes[2]], encrypt: false);
    }

    /// <summary>Server: reads the client's choice, which must be one it offered.</summary>
    private byte[] Accept(ReadOnlySpan<byte> response)
    {
        var choice = UnwrapOrThrow(response);
        if (choice.Length < 4 || System.Numerics.BitOperations.PopCount(choice[0]) != 1 || ((SaslQop)choice[0] & _qop) == 0)
        {
            throw new InvalidOperationException($"GSSAPI: the client chose layer {(choice.Length > 0 ? choice[0] : 0)}, not one of {_qop}");
        }

        _chosen = (SaslQop)choice[0];
        _stage = 2;
        return [];
    }

    public byte[] Wrap(ReadOnlySpan<byte> data) => WrapOrThrow(data, encrypt: _chosen == SaslQop.AuthConf);

    public byte[] Unwrap(ReadOnlySpan<byte> frame) => UnwrapOrThrow(frame);

    private byte[] WrapOrThrow(ReadOnlySpan<byte> data, bool encrypt)
    {
        var output = new ArrayBufferWriter<byte>(data.Length + 64);
        var status = _context.Wrap(data, output, encrypt, out var encrypted);
        return status == NegotiateAuthenticationStatusCode.Completed && encrypted == encrypt
            ? output.WrittenSpan.ToArray()
            : throw new InvalidOperationException($"GSSAPI: wrap failed ({status}, encrypted {encrypted})");
    }

    private byte[] UnwrapOrThrow(ReadOnlySpan<byte> frame)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(16, frame.Length));
        var status = _context.Unwrap(frame, output, out var encrypted);
        if (status != NegotiateAuthenticationStatusCode.Completed)
        {
            throw new InvalidOperationException($"GSSAPI: unwrap failed ({status})");
        }

        if (IsComplete && _chosen == SaslQop.AuthConf && !encrypted)
        {
            throw new InvalidOperationException("GSSAPI: auth-conf was negotiated but a frame came unencrypted");
        }

        return output.WrittenSpan.ToArray();
    }

    public void Dispose() => _context.Dispose();
}
