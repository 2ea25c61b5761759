using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>Owner, group and mode (<c>PermissionStatus</c>). <see cref="Mode"/> keeps the bits Hadoop keeps: rwx for user, group, other and the sticky bit.</summary>
internal sealed record PermissionStatus(string UserName, string GroupName, short Mode)
{
    public static PermissionStatus Read(ref OpBodyReader reader)
    {
        var user = reader.ReadText();
        var group = reader.ReadText();
        return new PermissionStatus(user, group, ReadMode(ref reader));
    }

    /// <summary><c>FsPermission.read</c>: a short of which only the low 10 bits are kept.</summary>
    public static short ReadMode(ref OpBodyReader reader) => (short)(reader.ReadInt16() & 0x3FF);

    public void Write(IEditFieldWriter writer)
    {
        writer.Begin("PERMISSION_STATUS");
        writer.Text("USERNAME", UserName);
        writer.Text("GROUPNAME", GroupName);
        writer.Number("MODE", Mode);
        writer.End();
    }
}
