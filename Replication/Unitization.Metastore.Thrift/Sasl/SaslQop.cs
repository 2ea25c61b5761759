namespace Unitization.Replication.Metastore.Sasl;

/// <summary>
/// SASL quality of protection, as the GSSAPI security-layer bits (RFC 4752) and Hadoop's <c>hadoop.rpc.protection</c>
/// name them: <c>auth</c> (authentication only), <c>auth-int</c> (integrity), <c>auth-conf</c> (privacy).
/// </summary>
[Flags]
internal enum SaslQop : byte
{
    None = 0,
    Auth = 1,
    AuthInt = 2,
    AuthConf = 4,
}
