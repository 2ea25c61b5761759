using System.Globalization;
using System.Text;
using Unitization.Hdfs.EditLog.Ops;

namespace Unitization.Hdfs.EditLog.Output;

/// <summary>
/// Writes a segment exactly as <c>hdfs oev -p xml</c> does (Hadoop's XmlEditsVisitor through the JDK's XML
/// serializer): the declaration with standalone="yes", two-space indentation, an element without content as
/// <c>&lt;NAME/&gt;</c>, text mangled as Hadoop's <c>XMLUtils.mangleXmlString</c> does (a backslash and characters
/// XML cannot hold become <c>\XXXX;</c>) and then escaped (&amp;, &lt;, &gt;, CR as <c>&amp;#13;</c>).
/// Each op is formatted whole before it is written, so a failing op leaves no partial record.
/// </summary>
internal sealed class OevXmlWriter(TextWriter output)
{
    private readonly StringBuilder _record = new();
    private readonly RecordWriter _fields = new();

    public void WriteStart(int layoutVersion)
    {
        output.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<EDITS>\n  <EDITS_VERSION>");
        output.Write(layoutVersion.ToString(CultureInfo.InvariantCulture));
        output.Write("</EDITS_VERSION>\n");
    }

    public void WriteOp(EditLogOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        _record.Clear();
        _record.Append("  <RECORD>\n    <OPCODE>").Append(op.OpCode.ToString()).Append("</OPCODE>\n    <DATA>\n");
        _fields.Reset(_record, depth: 3);
        _fields.Number("TXID", op.TxId);
        op.WriteFields(_fields);
        _record.Append("    </DATA>\n  </RECORD>\n");
        output.Write(_record);
    }

    public void WriteEnd() => output.Write("</EDITS>\n");

    /// <summary>Appends <paramref name="value"/> as oev prints element text.</summary>
    public static void AppendText(StringBuilder builder, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            if (MustBeMangled(codePoint))
            {
                builder.Append('\\').Append(codePoint.ToString("x4", CultureInfo.InvariantCulture)).Append(';');
                continue;
            }

            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\r':
                    builder.Append("&#13;");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    private static bool MustBeMangled(int cp) =>
        cp < 0x20 ? cp is not (0x9 or 0xA or 0xD) : (cp is > 0xD7FF and < 0xE000) || cp is 0xFFFE or 0xFFFF or 0x5C;

    private sealed class RecordWriter : IEditFieldWriter
    {
        private readonly Stack<string> _open = new();
        private StringBuilder _builder = new();
        private int _depth;
        private bool _pendingOpen;

        public void Reset(StringBuilder builder, int depth)
        {
            _builder = builder;
            _depth = depth;
            _open.Clear();
            _pendingOpen = false;
        }

        public void Text(string name, string value)
        {
            CloseStartTag();
            Indent();
            _builder.Append('<').Append(name);
            if (value.Length == 0)
            {
                _builder.Append("/>\n");
                return;
            }

            _builder.Append('>');
            AppendText(_builder, value);
            _builder.Append("</").Append(name).Append(">\n");
        }

        public void Number(string name, long value) => Text(name, value.ToString(CultureInfo.InvariantCulture));

        public void Boolean(string name, bool value) => Text(name, value ? "true" : "false");

        public void Begin(string name, bool repeated = false)
        {
            CloseStartTag();
            Indent();
            _builder.Append('<').Append(name);
            _open.Push(name);
            _pendingOpen = true;
            _depth++;
        }

        public void End()
        {
            var name = _open.Pop();
            _depth--;
            if (_pendingOpen)
            {
                _builder.Append("/>\n");
                _pendingOpen = false;
                return;
            }

            Indent();
            _builder.Append("</").Append(name).Append(">\n");
        }

        private void CloseStartTag()
        {
            if (_pendingOpen)
            {
                _builder.Append(">\n");
                _pendingOpen = false;
            }
        }

        private void Indent() => _builder.Append(' ', _depth * 2);
    }
}
