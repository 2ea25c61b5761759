namespace Unitization.Router.Security;

/// <summary>
/// What a delegation token vouches for, as Hadoop's <c>AbstractDelegationTokenIdentifier</c> writes it: a version
/// byte (0), owner, renewer and real user (Text), issue and max dates (VLong, ms since the epoch), the sequence
/// number and the master key id (VInt). The password is the HMAC of these bytes under the master key.
/// </summary>
internal sealed record DelegationTokenIdentifier(
    string Owner, string Renewer, string RealUser, long IssueDate, long MaxDate, int SequenceNumber, int MasterKeyId)
{
    public const byte Version = 0;

    /// <summary>The kind of the identifier (HDFS's); the token travelling over WebHDFS is of kind <see cref="DelegationToken.WebHdfsKind"/>.</summary>
    public const string Kind = "HDFS_DELEGATION_TOKEN";

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        output.WriteByte(Version);
        HadoopWritable.WriteText(output, Owner);
        HadoopWritable.WriteText(output, Renewer);
        HadoopWritable.WriteText(output, RealUser);
        HadoopWritable.WriteVLong(output, IssueDate);
        HadoopWritable.WriteVLong(output, MaxDate);
        HadoopWritable.WriteVLong(output, SequenceNumber);
        HadoopWritable.WriteVLong(output, MasterKeyId);
        return output.ToArray();
    }

    /// <summary>Reads identifier bytes; a malformed identifier is a <see cref="FormatException"/> naming the field.</summary>
    public static DelegationTokenIdentifier Parse(ReadOnlySpan<byte> bytes)
    {
        var position = 0;
        var version = HadoopWritable.Read(bytes, ref position, "version");
        if (version != Version)
        {
            throw new FormatException($"version: {version} is not a known delegation token identifier version ({Version})");
        }

        var identifier = new DelegationTokenIdentifier(
            HadoopWritable.ReadText(bytes, ref position, "owner"),
            HadoopWritable.ReadText(bytes, ref position, "renewer"),
            HadoopWritable.ReadText(bytes, ref position, "realUser"),
            HadoopWritable.ReadVLong(bytes, ref position, "issueDate"),
            HadoopWritable.ReadVLong(bytes, ref position, "maxDate"),
            HadoopWritable.ReadVInt(bytes, ref position, "sequenceNumber"),
            HadoopWritable.ReadVInt(bytes, ref position, "masterKeyId"));
        return position == bytes.Length ? identifier : throw new FormatException($"identifier: {bytes.Length - position} bytes after the master key id");
    }

    /// <summary>The user the token acts as (the owner), and, when it was issued to a proxy, who really holds it.</summary>
    public override string ToString() =>
        $"token {SequenceNumber} for {Owner}{(RealUser.Length > 0 ? $" (real user {RealUser})" : string.Empty)}, renewer {Renewer}";
}
