using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Ops;

/// <summary>OP_SET_ACL: a path's whole ACL replaced (a delimited <c>AclEditLogProto</c>).</summary>
internal sealed record SetAclOp(long TxId, string Source, ValueList<AclEntry> Entries) : EditLogOp(TxId)
{
    public override EditLogOpCode OpCode => EditLogOpCode.OP_SET_ACL;

    /// <summary><c>AclEditLogProto { required string src = 1; repeated AclEntryProto entries = 2; }</c>.</summary>
    public static SetAclOp Read(ref OpBodyReader reader, long txId)
    {
        var message = new ProtoReader(reader.ReadDelimited(out var offset), offset);
        string? src = null;
        var entries = new List<AclEntry>();
        while (message.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1 when wireType == ProtoReader.LengthDelimited:
                    src = message.ReadString();
                    break;
                case 2 when wireType == ProtoReader.LengthDelimited:
                    entries.Add(ReadEntry(message.ReadMessage()));
                    break;
                default:
                    message.Skip(wireType);
                    break;
            }
        }

        if (src is null)
        {
            throw message.Error("AclEditLogProto lacks its required src");
        }

        return new SetAclOp(txId, src, new ValueList<AclEntry>([.. entries]));
    }

    /// <summary><c>AclEntryProto { required type = 1; required scope = 2; required permissions = 3; optional string name = 4; }</c>.</summary>
    private static AclEntry ReadEntry(ProtoReader message)
    {
        int? type = null, scope = null, permission = null;
        string? name = null;
        while (message.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1 when wireType == ProtoReader.Varint:
                    type = Known(message.ReadVarint(), 4, type);
                    break;
                case 2 when wireType == ProtoReader.Varint:
                    scope = Known(message.ReadVarint(), 2, scope);
                    break;
                case 3 when wireType == ProtoReader.Varint:
                    permission = Known(message.ReadVarint(), 8, permission);
                    break;
                case 4 when wireType == ProtoReader.LengthDelimited:
                    name = message.ReadString();
                    break;
                default:
                    message.Skip(wireType);
                    break;
            }
        }

        if (type is null || scope is null || permission is null)
        {
            throw message.Error("AclEntryProto lacks its required " + (type is null ? "type" : scope is null ? "scope" : "permissions"));
        }

        return new AclEntry(scope.Value, type.Value, permission.Value, name);
    }

    // proto2: an enum value the schema does not know is kept as an unknown field, so the field counts as absent
    private static int? Known(ulong value, int count, int? previous) => value < (ulong)count ? (int)value : previous;

    public override void WriteFields(IEditFieldWriter writer)
    {
        writer.Text("SRC", Source);
        AclEntry.WriteAll(writer, Entries);
    }
}
