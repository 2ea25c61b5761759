using System.Text.Json;
using System.Text.Json.Nodes;
using Unitization.Hdfs.EditLog.Ops;

namespace Unitization.Hdfs.EditLog.Output;

/// <summary>
/// Writes one JSON object per op and line: <c>{"EDITS_VERSION":-67,"OPCODE":"OP_ADD","DATA":{"TXID":4,...}}</c>, with
/// the field names of the XML, numbers and booleans as JSON numbers and booleans, and the repeated elements
/// (BLOCK, ENTRY, XATTR, EXTRAOPTION) as arrays.
/// </summary>
internal sealed class EditLogJsonWriter(TextWriter output, int layoutVersion)
{
    public void WriteOp(EditLogOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var data = new JsonObject { ["TXID"] = op.TxId };
        op.WriteFields(new TreeWriter(data));
        var record = new JsonObject
        {
            ["EDITS_VERSION"] = layoutVersion,
            ["OPCODE"] = op.OpCode.ToString(),
            ["DATA"] = data,
        };
        output.Write(record.ToJsonString(JsonSerializerOptions.Default));
        output.Write('\n');
    }

    private sealed class TreeWriter(JsonObject root) : IEditFieldWriter
    {
        private readonly Stack<JsonObject> _objects = new([root]);

        public void Text(string name, string value) => _objects.Peek()[name] = value;

        public void Number(string name, long value) => _objects.Peek()[name] = value;

        public void Boolean(string name, bool value) => _objects.Peek()[name] = value;

        public void Begin(string name, bool repeated = false)
        {
            var parent = _objects.Peek();
            var child = new JsonObject();
            if (repeated)
            {
                if (parent[name] is not JsonArray array)
                {
                    parent[name] = array = [];
                }

                array.Add(child);
            }
            else
            {
                parent[name] = child;
            }

            _objects.Push(child);
        }

        public void End() => _objects.Pop();
    }
}
