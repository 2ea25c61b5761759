using System.Buffers.Text;

namespace Unitization.Router.Security;

/// <summary>
/// A token as Hadoop's <c>Token</c> writes it (identifier and password as VInt-prefixed bytes, then kind and service
/// as Text) and carries it in a URL (<c>encodeToUrlString</c>: URL-safe base64 without padding).
/// </summary>
internal sealed record DelegationToken(byte[] Identifier, byte[] Password, string Kind, string Service)
{
    /// <summary>The kind a NameNode gives the tokens it issues over WebHDFS (<c>WebHdfsConstants.WEBHDFS_TOKEN_KIND</c>).</summary>
    public const string WebHdfsKind = "WEBHDFS delegation";

    /// <summary>The kind over HTTPS (<c>SWEBHDFS_TOKEN_KIND</c>).</summary>
    public const string SWebHdfsKind = "SWEBHDFS delegation";

    public string ToUrlString()
    {
        using var output = new MemoryStream();
        HadoopWritable.WriteBytes(output, Identifier);
        HadoopWritable.WriteBytes(output, Password);
        HadoopWritable.WriteText(output, Kind);
        HadoopWritable.WriteText(output, Service);
        return Base64Url.EncodeToString(output.ToArray());
    }

    /// <summary>Decodes a URL string (padding and the standard alphabet are accepted too, as commons-codec's decoder does).</summary>
    public static bool TryParse(string text, out DelegationToken? token, out string? error)
    {
        token = null;
        error = null;
        if (string.IsNullOrEmpty(text) || text.Length > 16 * 1024)
        {
            error = "the token is empty or longer than 16 KiB";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text.TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        }
        catch (FormatException)
        {
            error = "the token is not URL-safe base64";
            return false;
        }

        try
        {
            var position = 0;
            var identifier = HadoopWritable.ReadBytes(bytes, ref position, "identifier");
            var password = HadoopWritable.ReadBytes(bytes, ref position, "password");
            var kind = HadoopWritable.ReadText(bytes, ref position, "kind");
            var service = HadoopWritable.ReadText(bytes, ref position, "service");
            if (position != bytes.Length)
            {
                error = $"{bytes.Length - position} bytes after the service";
                return false;
            }

            token = new DelegationToken(identifier, password, kind, service);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            error = ex.Message;
            return false;
        }
    }
}
