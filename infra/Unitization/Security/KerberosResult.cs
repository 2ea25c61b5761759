namespace Unitization.Host.Security;

/// <summary>One SPNEGO exchange: the client principal (<c>alice@REALM</c>) and the mutual-auth reply, or the failure.</summary>
internal sealed record KerberosResult(string? Principal, string? ReplyToken, string? Failure);
