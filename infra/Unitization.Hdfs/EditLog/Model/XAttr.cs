using Unitization.Hdfs.EditLog.Output;

namespace Unitization.Hdfs.EditLog.Model;

/// <summary>An extended attribute: namespace (0 USER, 1 TRUSTED, 2 SECURITY, 3 SYSTEM, 4 RAW), name, optional value.</summary>
internal sealed record XAttr(int NameSpace, string Name, ValueList<byte>? Value)
{
    private static readonly string[] NameSpaces = ["USER", "TRUSTED", "SECURITY", "SYSTEM", "RAW"];

    public void Write(IEditFieldWriter writer)
    {
        writer.Begin("XATTR", repeated: true);
        writer.Text("NAMESPACE", NameSpaces[NameSpace]);
        writer.Text("NAME", Name);
        if (Value is { } value)
        {
            writer.Text("VALUE", "0x" + Convert.ToHexStringLower(value.AsSpan()));
        }

        writer.End();
    }

    public static void WriteAll(IEditFieldWriter writer, ValueList<XAttr> xattrs)
    {
        foreach (var xattr in xattrs)
        {
            xattr.Write(writer);
        }
    }

    /// <summary>The xattrs of an ADD or MKDIR: null before the XATTRS layout, else a delimited <c>XAttrEditLogProto</c>.</summary>
    public static ValueList<XAttr>? ReadForInode(ref OpBodyReader reader)
    {
        if (!reader.Supports(EditLogFeature.XAttrs))
        {
            return null;
        }

        return ReadProto(ref reader, out _);
    }

    /// <summary>A delimited <c>XAttrEditLogProto { optional string src = 1; repeated XAttrProto xAttrs = 2; }</c>.</summary>
    public static ValueList<XAttr> ReadProto(ref OpBodyReader reader, out string src)
    {
        var message = new ProtoReader(reader.ReadDelimited(out var offset), offset);
        src = string.Empty;
        var xattrs = new List<XAttr>();
        while (message.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1 when wireType == ProtoReader.LengthDelimited:
                    src = message.ReadString();
                    break;
                case 2 when wireType == ProtoReader.LengthDelimited:
                    xattrs.Add(ReadXAttrProto(message.ReadMessage()));
                    break;
                default:
                    message.Skip(wireType);
                    break;
            }
        }

        return new ValueList<XAttr>([.. xattrs]);
    }

    /// <summary><c>XAttrProto { required XAttrNamespaceProto namespace = 1; required string name = 2; optional bytes value = 3; }</c>.</summary>
    private static XAttr ReadXAttrProto(ProtoReader message)
    {
        int? nameSpace = null;
        string? name = null;
        ValueList<byte>? value = null;
        while (message.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1 when wireType == ProtoReader.Varint:
                    var ns = message.ReadVarint();
                    nameSpace = ns < 5 ? (int)ns : nameSpace; // an unknown enum value counts as absent, as in proto2
                    break;
                case 2 when wireType == ProtoReader.LengthDelimited:
                    name = message.ReadString();
                    break;
                case 3 when wireType == ProtoReader.LengthDelimited:
                    value = new ValueList<byte>(message.ReadBytes().ToArray());
                    break;
                default:
                    message.Skip(wireType);
                    break;
            }
        }

        if (nameSpace is null || name is null)
        {
            throw message.Error("XAttrProto lacks its required " + (nameSpace is null ? "namespace" : "name"));
        }

        return new XAttr(nameSpace.Value, name, value);
    }
}
