using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>
/// One ACL entry: scope (0 ACCESS, 1 DEFAULT), type (0 USER, 1 GROUP, 2 MASK, 3 OTHER), permission (0-7, rwx bits),
/// and an optional user or group name.
/// </summary>
internal sealed record AclEntry(int Scope, int Type, int Permission, string? Name)
{
    private static readonly string[] Scopes = ["ACCESS", "DEFAULT"];
    private static readonly string[] Types = ["USER", "GROUP", "MASK", "OTHER"];
    private static readonly string[] Actions = ["---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx"];

    public void Write(IEditFieldWriter writer)
    {
        writer.Begin("ENTRY", repeated: true);
        writer.Text("SCOPE", Scopes[Scope]);
        writer.Text("TYPE", Types[Type]);
        if (Name is not null)
        {
            writer.Text("NAME", Name);
        }

        writer.Text("PERM", Actions[Permission]);
        writer.End();
    }

    /// <summary>
    /// The ACL of an ADD or MKDIR (<c>AclEditLogUtil.read</c>): null before EXTENDED_ACL or when empty; else an int
    /// count, then per entry one byte (bit 6 has-name, bit 5 scope, bits 3-4 type, bits 0-2 permission) and the name.
    /// </summary>
    public static ValueList<AclEntry>? ReadCompact(ref OpBodyReader reader)
    {
        if (!reader.Supports(EditLogFeature.ExtendedAcl))
        {
            return null;
        }

        var count = reader.ReadInt32();
        if (count == 0)
        {
            return null;
        }

        if (count < 0 || count > reader.Remaining)
        {
            throw count < 0 ? reader.Error($"negative ACL entry count {count}") : new OpTruncatedException();
        }

        var entries = new AclEntry[count];
        for (var i = 0; i < count; i++)
        {
            var v = reader.ReadByte();
            var name = ((v >> 6) & 1) == 1 ? reader.ReadUtf8() : null;
            entries[i] = new AclEntry((v >> 5) & 1, (v >> 3) & 3, v & 7, name);
        }

        return new ValueList<AclEntry>(entries);
    }

    /// <summary>Writes the ACL list of an op (each entry an ENTRY element).</summary>
    public static void WriteAll(IEditFieldWriter writer, ValueList<AclEntry> entries)
    {
        foreach (var entry in entries)
        {
            entry.Write(writer);
        }
    }
}
