namespace Unitization.Host.Security;

/// <summary>Kerberos SPNEGO through GSSAPI: the keytab holding <c>HTTP/host@REALM</c>.</summary>
public sealed class KerberosOptions
{
    public bool Enabled { get; set; }

    /// <summary>The service keytab (else <c>KRB5_KTNAME</c> or <c>/etc/krb5.keytab</c>).</summary>
    public string Keytab { get; set; } = string.Empty;

    /// <summary>Roles of every authenticated principal of this realm with no entry in <c>Principals</c> (e.g. <c>reader</c>); empty: none.</summary>
    public IList<string> DefaultRoles { get; } = [];
}
