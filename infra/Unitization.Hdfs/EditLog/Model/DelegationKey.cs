using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>A delegation token master key: id, expiry, and the key's bytes (null when absent).</summary>
internal sealed record DelegationKey(int KeyId, long ExpiryDate, ValueList<byte>? Key)
{
    /// <summary><c>DelegationKey.readFields</c>: vint id, vlong expiry, vint length in [-1, 1 MiB] (-1: no key), bytes.</summary>
    public static DelegationKey Read(ref OpBodyReader reader)
    {
        var keyId = reader.ReadVInt();
        var expiry = reader.ReadVLong();
        var length = reader.ReadVInt();
        if (length is < -1 or > 1024 * 1024)
        {
            throw reader.Error($"delegation key length {length} is outside [-1, 1048576]");
        }

        ValueList<byte>? key = length == -1 ? null : new ValueList<byte>(reader.ReadBytes(length).ToArray());
        return new DelegationKey(keyId, expiry, key);
    }

    public void Write(IEditFieldWriter writer)
    {
        writer.Begin("DELEGATION_KEY");
        writer.Number("KEY_ID", KeyId);
        writer.Number("EXPIRY_DATE", ExpiryDate);
        if (Key is { } key)
        {
            writer.Text("KEY", Convert.ToHexStringLower(key.AsSpan()));
        }

        writer.End();
    }
}
