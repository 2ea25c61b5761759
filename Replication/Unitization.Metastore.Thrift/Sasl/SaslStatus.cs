namespace Unitization.Replication.Metastore.Sasl;

/// <summary>The status byte of a Thrift SASL negotiation frame (<c>TSaslTransport.NegotiationStatus</c>).</summary>
internal enum SaslStatus : byte
{
    Start = 1,
    Ok = 2,
    Bad = 3,
    Error = 4,
    Complete = 5,
}
