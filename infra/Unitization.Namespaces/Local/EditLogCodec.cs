using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The edit log's bytes. The file starts with the 8-byte magic <c>UNZEDIT1</c>; then one frame per edit:
/// <c>[int32 LE payload length][uint32 LE CRC-32 of the payload][payload]</c>, where the payload is one UTF-8 JSON object
/// <c>{"tx","op","path","dst","size","sum","ts","stage","ino","note"}</c> (<c>ino</c>: an exchange's inode of
/// <c>path</c> when it was logged; logs written before exchanges existed have none and decode as before; <c>note</c>:
/// why <c>fs recover</c> wrote this edit in place of a corrupt frame). A frame whose length runs past the end of the file or whose
/// CRC does not match is torn.
/// </summary>
internal static class EditLogCodec
{
    public const int HeaderSize = 8;

    /// <summary>Largest payload accepted; two paths of <see cref="NamespacePath.MaxLength"/> characters fit.</summary>
    public const int MaxPayload = 64 * 1024;

    public static ReadOnlySpan<byte> Magic => "UNZEDIT1"u8;

    public static byte[] Encode(LoggedEdit logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Advance(HeaderSize);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var edit = logged.Edit;
            json.WriteStartObject();
            json.WriteNumber("tx", edit.TxId.Value);
            json.WriteString("op", OpName(edit.Op));
            json.WriteString("path", edit.Path);
            if (edit.Destination is not null)
            {
                json.WriteString("dst", edit.Destination);
            }

            json.WriteNumber("size", edit.Size);
            if (edit.Checksum is not null)
            {
                json.WriteString("sum", edit.Checksum);
            }

            json.WriteString("ts", edit.Timestamp);
            if (logged.Stage is not null)
            {
                json.WriteString("stage", logged.Stage);
            }

            if (logged.Inode is { } inode)
            {
                json.WriteNumber("ino", inode);
            }

            if (logged.Note is not null)
            {
                json.WriteString("note", logged.Note);
            }

            json.WriteEndObject();
        }

        var frame = buffer.WrittenSpan.ToArray();
        var payload = frame.AsSpan(HeaderSize);
        if (payload.Length > MaxPayload)
        {
            throw new InvalidOperationException($"Edit {logged.Edit.TxId} is {payload.Length} bytes, more than the {MaxPayload} an edit may take.");
        }

        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32.HashToUInt32(payload));
        return frame;
    }

    /// <summary>Reads a frame header: the payload length and its CRC; null when the length is impossible.</summary>
    public static (int Length, uint Crc)? ReadHeader(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        return length is <= 0 or > MaxPayload ? null : (length, crc);
    }

    /// <summary>Decodes a payload whose CRC matched; throws <see cref="InvalidDataException"/> when it is not an edit.</summary>
    public static LoggedEdit Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var edit = new EditRecord(
                new TxId(root.GetProperty("tx").GetInt64()),
                ParseOp(root.GetProperty("op").GetString()),
                root.GetProperty("path").GetString() ?? throw new InvalidDataException("path is null"),
                root.TryGetProperty("dst", out var dst) ? dst.GetString() : null,
                root.GetProperty("size").GetInt64(),
                root.TryGetProperty("sum", out var sum) ? sum.GetString() : null,
                root.GetProperty("ts").GetDateTimeOffset());
            return new LoggedEdit(
                edit,
                root.TryGetProperty("stage", out var stage) ? stage.GetString() : null,
                root.TryGetProperty("ino", out var inode) ? inode.GetUInt64() : null,
                Note: root.TryGetProperty("note", out var note) ? note.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException("not an edit record: " + ex.Message, ex);
        }
    }

    public static bool CrcMatches(ReadOnlySpan<byte> payload, uint crc) => Crc32.HashToUInt32(payload) == crc;

    public static string OpName(EditOp op) => op switch
    {
        EditOp.Mkdirs => "mkdirs",
        EditOp.Create => "create",
        EditOp.Rename => "rename",
        EditOp.Delete => "delete",
        EditOp.SetTimes => "settimes",
        EditOp.Exchange => "exchange",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown edit op"),
    };

    private static EditOp ParseOp(string? name) => name switch
    {
        "mkdirs" => EditOp.Mkdirs,
        "create" => EditOp.Create,
        "rename" => EditOp.Rename,
        "delete" => EditOp.Delete,
        "settimes" => EditOp.SetTimes,
        "exchange" => EditOp.Exchange,
        _ => throw new InvalidDataException($"unknown op '{name}'"),
    };
}
