using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>An HDFS delegation token's identifier, as the NameNode logs it when it issues, renews or cancels the token.</summary>
internal sealed record DelegationTokenIdentifier(
    string Owner, string Renewer, string RealUser, long IssueDate, long MaxDate, int SequenceNumber, int MasterKeyId)
{
    /// <summary><c>AbstractDelegationTokenIdentifier.readFields</c>: version byte 0, three Texts, two vlongs, two vints.</summary>
    public static DelegationTokenIdentifier Read(ref OpBodyReader reader)
    {
        var version = reader.ReadByte();
        if (version != 0)
        {
            throw reader.Error($"unknown version of delegation token {version}");
        }

        var owner = reader.ReadTextLenient();
        var renewer = reader.ReadTextLenient();
        var realUser = reader.ReadTextLenient();
        var issueDate = reader.ReadVLong();
        var maxDate = reader.ReadVLong();
        var sequence = reader.ReadVInt();
        return new DelegationTokenIdentifier(owner, renewer, realUser, issueDate, maxDate, sequence, reader.ReadVInt());
    }

    public void Write(IEditFieldWriter writer)
    {
        writer.Begin("DELEGATION_TOKEN_IDENTIFIER");
        writer.Text("KIND", "HDFS_DELEGATION_TOKEN");
        writer.Number("SEQUENCE_NUMBER", SequenceNumber);
        writer.Text("OWNER", Owner);
        writer.Text("RENEWER", Renewer);
        writer.Text("REALUSER", RealUser);
        writer.Number("ISSUE_DATE", IssueDate);
        writer.Number("MAX_DATE", MaxDate);
        writer.Number("MASTER_KEY_ID", MasterKeyId);
        writer.End();
    }
}
