namespace Unitization.Replication.Metastore.Sasl;

/// <summary>
/// One side of a SASL mechanism (RFC 4422) as the Thrift SASL transport drives it: the client's initial response, then
/// challenge/response rounds until both sides are complete; afterwards the negotiated quality of protection wraps
/// (integrity, confidentiality) or passes through each data frame.
/// </summary>
internal interface ISaslMechanism : IDisposable
{
    /// <summary>The mechanism's IANA name, e.g. <c>GSSAPI</c>.</summary>
    string Name { get; }

    bool IsComplete { get; }

    /// <summary>The authenticated peer (server side) or this client's identity, once complete.</summary>
    string? Peer { get; }

    /// <summary>Client: the initial response (may be empty). Not called on the server.</summary>
    byte[] Initial();

    /// <summary>Evaluates the peer's token; the token to send back (empty when there is nothing to say).</summary>
    byte[] Evaluate(ReadOnlySpan<byte> token);

    /// <summary>Whether data frames are wrapped (auth-int or auth-conf negotiated).</summary>
    bool WrapsData { get; }

    byte[] Wrap(ReadOnlySpan<byte> data);

    byte[] Unwrap(ReadOnlySpan<byte> frame);
}
