using System.Buffers.Binary;
using System.IO.Hashing;
using Unitization.Hdfs.EditLog.Ops;

namespace Unitization.Hdfs.EditLog;

/// <summary>
/// Decodes one NameNode edit log segment (an <c>edits_*</c> file, as a JournalNode serves it) of layout version -51
/// through -67. The header is the layout version (big-endian int) and the layout flags (an int count, always 0).
/// Then ops: the opcode byte; from -56 on an int length (of the length field, txid and body); the txid; the body;
/// a CRC-32 of everything before it in the op. The ops end at the end of the bytes, or at an OP_INVALID byte
/// followed only by 0x00/0xFF padding (a preallocated in-progress segment). Every checksum is verified; an op
/// whose body does not take exactly its length is an error.
/// </summary>
internal sealed class EditLogDecoder
{
    /// <summary>Hadoop's default <c>dfs.namenode.max.op.size</c>.</summary>
    public const int MaxOpSize = 50 * 1024 * 1024;

    /// <summary>Bytes of the segment header.</summary>
    public const int HeaderLength = 8;

    private const int MinLengthPrefixedOp = 17;

    // the opcodes with a body (FSEditLogOpCodes 0-52 but the obsolete 5 and 6)
    private static readonly bool[] Known = Enumerable.Range(0, 256).Select(c => c <= 52 && c is not (5 or 6)).ToArray();

    private readonly ReadOnlyMemory<byte> _data;
    private readonly bool _lengthPrefixed;
    private int _position;
    private bool _terminated;

    /// <summary>Reads the header of <paramref name="segment"/>; throws <see cref="EditLogFormatException"/> if it is not a supported segment.</summary>
    public EditLogDecoder(ReadOnlyMemory<byte> segment)
        : this(segment, HeaderLength)
    {
    }

    /// <summary>
    /// Reads the header, then starts at <paramref name="position"/>: an op boundary a previous decoder of the same
    /// segment reached (<see cref="Position"/>), to read on in a segment that grew.
    /// </summary>
    public EditLogDecoder(ReadOnlyMemory<byte> segment, int position)
    {
        _data = segment;
        if (!TryReadHeader(segment.Span, out var layoutVersion))
        {
            throw new EditLogFormatException($"the edit log has {segment.Length} bytes, fewer than its {HeaderLength}-byte header");
        }

        LayoutVersion = layoutVersion;
        _lengthPrefixed = EditLogLayout.HasOpLength(layoutVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(position, HeaderLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, segment.Length);
        _position = position;
    }

    public int LayoutVersion { get; }

    /// <summary>The offset of the next op to read.</summary>
    public int Position => _position;

    /// <summary>
    /// Reads the header; false when fewer than its 8 bytes are there yet. Throws when the version is not supported
    /// or the layout flags are not empty.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out int layoutVersion)
    {
        layoutVersion = 0;
        if (data.Length < HeaderLength)
        {
            return false;
        }

        layoutVersion = BinaryPrimitives.ReadInt32BigEndian(data);
        if (layoutVersion == -1)
        {
            throw new EditLogFormatException("the edit log has no header (its first int is -1: a preallocated segment whose header was never written)", 0);
        }

        if (!EditLogLayout.IsSupported(layoutVersion))
        {
            throw new EditLogFormatException(
                $"layout version {layoutVersion} is not supported: this decoder reads {EditLogLayout.Oldest} (Hadoop 2.x) through {EditLogLayout.Newest} (Hadoop 3.4)", 0);
        }

        var flags = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
        if (flags != 0)
        {
            throw new EditLogFormatException($"the layout flags section has {flags} flags; Hadoop defines none", 4);
        }

        return true;
    }

    /// <summary>Every op up to the end; throws <see cref="EditLogFormatException"/> on bad data or a cut-off last op.</summary>
    public IEnumerable<EditLogOp> ReadAll()
    {
        while (true)
        {
            switch (TryRead(out var op))
            {
                case EditLogReadStatus.Op:
                    yield return op!;
                    break;
                case EditLogReadStatus.End:
                    yield break;
                default:
                    throw new EditLogFormatException($"the edit log ends inside an op ({_data.Length - _position} bytes of it)", _position);
            }
        }
    }

    /// <summary>Reads the op at <see cref="Position"/>; advances past it only when it returns <see cref="EditLogReadStatus.Op"/>.</summary>
    public EditLogReadStatus TryRead(out EditLogOp? op)
    {
        op = null;
        var data = _data.Span;
        if (_terminated || _position >= data.Length)
        {
            return EditLogReadStatus.End;
        }

        if (data[_position] == (byte)EditLogOpCode.OP_INVALID)
        {
            VerifyTerminator(data);
            return EditLogReadStatus.End;
        }

        return _lengthPrefixed ? ReadLengthPrefixed(data, out op) : ReadChecksummed(data, out op);
    }

    private void VerifyTerminator(ReadOnlySpan<byte> data)
    {
        var padding = data[(_position + 1)..];
        var bad = padding.IndexOfAnyExcept((byte)0x00, (byte)0xFF);
        if (bad >= 0)
        {
            throw new EditLogFormatException("bytes other than 0x00 and 0xFF after the OP_INVALID terminator", _position + 1 + bad);
        }

        _terminated = true;
    }

    private EditLogReadStatus ReadLengthPrefixed(ReadOnlySpan<byte> data, out EditLogOp? op)
    {
        op = null;
        var start = _position;
        if (data.Length - start < 5)
        {
            return EditLogReadStatus.Incomplete;
        }

        var code = data[start];
        var opLength = (long)BinaryPrimitives.ReadInt32BigEndian(data[(start + 1)..]) + 5;
        if (opLength > MaxOpSize)
        {
            throw new EditLogFormatException($"op {Name(code)} has size {opLength}, over the maximum op size {MaxOpSize}", start);
        }

        if (opLength < MinLengthPrefixedOp)
        {
            throw new EditLogFormatException($"op {Name(code)} has size {opLength}, under the minimum op size {MinLengthPrefixedOp}", start);
        }

        if (data.Length - start < opLength)
        {
            return EditLogReadStatus.Incomplete;
        }

        var frame = data.Slice(start, (int)opLength);
        var txId = BinaryPrimitives.ReadInt64BigEndian(frame[5..]);
        VerifyChecksum(frame[..^4], BinaryPrimitives.ReadUInt32BigEndian(frame[^4..]), txId, code, start);
        var bodyOffset = start + 13;
        var body = frame[13..^4];
        if (!Known[code])
        {
            op = new UnknownOp(txId, code, new ValueList<byte>(body.ToArray()));
        }
        else
        {
            var reader = new OpBodyReader(body, LayoutVersion, bodyOffset);
            try
            {
                op = ReadBody(ref reader, (EditLogOpCode)code, txId);
            }
            catch (OpTruncatedException)
            {
                throw new EditLogFormatException($"txid {txId} ({Name(code)}): its fields run past the op's length of {opLength} bytes", start);
            }
            catch (EditLogFormatException ex) when (ex.Offset >= 0)
            {
                throw new EditLogFormatException($"txid {txId} ({Name(code)}): {StripOffset(ex)}", ex.Offset);
            }

            if (reader.Remaining != 0)
            {
                throw new EditLogFormatException(
                    $"txid {txId} ({Name(code)}): its fields end {reader.Remaining} bytes before the op's length says", bodyOffset + reader.Position);
            }
        }

        _position = start + (int)opLength;
        return EditLogReadStatus.Op;
    }

    private EditLogReadStatus ReadChecksummed(ReadOnlySpan<byte> data, out EditLogOp? op)
    {
        op = null;
        var start = _position;
        var code = data[start];
        if (!Known[code])
        {
            throw new EditLogFormatException($"unknown opcode {code}; in layout {LayoutVersion} ops carry no length, so it cannot be skipped", start);
        }

        if (data.Length - start < 9)
        {
            return EditLogReadStatus.Incomplete;
        }

        var txId = BinaryPrimitives.ReadInt64BigEndian(data[(start + 1)..]);
        var available = data[(start + 9)..];
        var reader = new OpBodyReader(available.Length > MaxOpSize ? available[..MaxOpSize] : available, LayoutVersion, start + 9);
        try
        {
            op = ReadBody(ref reader, (EditLogOpCode)code, txId);
        }
        catch (OpTruncatedException)
        {
            if (available.Length > MaxOpSize)
            {
                throw new EditLogFormatException($"txid {txId} ({Name(code)}) is larger than the maximum op size {MaxOpSize}", start);
            }

            return EditLogReadStatus.Incomplete;
        }
        catch (EditLogFormatException ex) when (ex.Offset >= 0)
        {
            throw new EditLogFormatException($"txid {txId} ({Name(code)}): {StripOffset(ex)}", ex.Offset);
        }

        var end = start + 9 + reader.Position;
        if (data.Length - end < 4)
        {
            op = null;
            return EditLogReadStatus.Incomplete;
        }

        VerifyChecksum(data[start..end], BinaryPrimitives.ReadUInt32BigEndian(data[end..]), txId, code, start);
        _position = end + 4;
        return EditLogReadStatus.Op;
    }

    private static void VerifyChecksum(ReadOnlySpan<byte> covered, uint stored, long txId, byte code, int offset)
    {
        var computed = Crc32.HashToUInt32(covered);
        if (computed != stored)
        {
            throw new EditLogFormatException(
                $"txid {txId} ({Name(code)}) is corrupt: its checksum is 0x{stored:x8}, its bytes give 0x{computed:x8}", offset);
        }
    }

    private static string StripOffset(EditLogFormatException ex)
    {
        var suffix = $" (at byte offset {ex.Offset})";
        return ex.Message.EndsWith(suffix, StringComparison.Ordinal) ? ex.Message[..^suffix.Length] : ex.Message;
    }

    private static string Name(byte code) =>
        Enum.IsDefined((EditLogOpCode)code) ? ((EditLogOpCode)code).ToString() : $"opcode {code}";

    private static EditLogOp ReadBody(ref OpBodyReader reader, EditLogOpCode code, long txId) => code switch
    {
        EditLogOpCode.OP_ADD or EditLogOpCode.OP_CLOSE => AddCloseOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_RENAME_OLD => RenameOldOp.Read(ref reader, txId),
        EditLogOpCode.OP_DELETE => DeleteOp.Read(ref reader, txId),
        EditLogOpCode.OP_MKDIR => MkdirOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_REPLICATION => SetReplicationOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_PERMISSIONS => SetPermissionsOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_OWNER => SetOwnerOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_GENSTAMP_V1 => SetGenstampV1Op.Read(ref reader, txId),
        EditLogOpCode.OP_SET_NS_QUOTA => SetNSQuotaOp.Read(ref reader, txId),
        EditLogOpCode.OP_CLEAR_NS_QUOTA => ClearNSQuotaOp.Read(ref reader, txId),
        EditLogOpCode.OP_TIMES => TimesOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_QUOTA => SetQuotaOp.Read(ref reader, txId),
        EditLogOpCode.OP_RENAME => RenameOp.Read(ref reader, txId),
        EditLogOpCode.OP_CONCAT_DELETE => ConcatDeleteOp.Read(ref reader, txId),
        EditLogOpCode.OP_SYMLINK => SymlinkOp.Read(ref reader, txId),
        EditLogOpCode.OP_GET_DELEGATION_TOKEN or EditLogOpCode.OP_RENEW_DELEGATION_TOKEN => DelegationTokenOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_CANCEL_DELEGATION_TOKEN => CancelDelegationTokenOp.Read(ref reader, txId),
        EditLogOpCode.OP_UPDATE_MASTER_KEY => UpdateMasterKeyOp.Read(ref reader, txId),
        EditLogOpCode.OP_REASSIGN_LEASE => ReassignLeaseOp.Read(ref reader, txId),
        EditLogOpCode.OP_END_LOG_SEGMENT or EditLogOpCode.OP_START_LOG_SEGMENT => new LogSegmentOp(txId, code),
        EditLogOpCode.OP_UPDATE_BLOCKS => UpdateBlocksOp.Read(ref reader, txId),
        EditLogOpCode.OP_CREATE_SNAPSHOT or EditLogOpCode.OP_DELETE_SNAPSHOT => SnapshotOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_RENAME_SNAPSHOT => RenameSnapshotOp.Read(ref reader, txId),
        EditLogOpCode.OP_ALLOW_SNAPSHOT or EditLogOpCode.OP_DISALLOW_SNAPSHOT => SnapshotRootOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_SET_GENSTAMP_V2 => SetGenstampV2Op.Read(ref reader, txId),
        EditLogOpCode.OP_ALLOCATE_BLOCK_ID => AllocateBlockIdOp.Read(ref reader, txId),
        EditLogOpCode.OP_ADD_BLOCK => AddBlockOp.Read(ref reader, txId),
        EditLogOpCode.OP_ADD_CACHE_DIRECTIVE or EditLogOpCode.OP_MODIFY_CACHE_DIRECTIVE => CacheDirectiveOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_REMOVE_CACHE_DIRECTIVE => RemoveCacheDirectiveOp.Read(ref reader, txId),
        EditLogOpCode.OP_ADD_CACHE_POOL or EditLogOpCode.OP_MODIFY_CACHE_POOL => CachePoolOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_REMOVE_CACHE_POOL => RemoveCachePoolOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_ACL => SetAclOp.Read(ref reader, txId),
        EditLogOpCode.OP_ROLLING_UPGRADE_START or EditLogOpCode.OP_ROLLING_UPGRADE_FINALIZE => RollingUpgradeOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_SET_XATTR or EditLogOpCode.OP_REMOVE_XATTR => XAttrOp.Read(ref reader, txId, code),
        EditLogOpCode.OP_SET_STORAGE_POLICY => SetStoragePolicyOp.Read(ref reader, txId),
        EditLogOpCode.OP_TRUNCATE => TruncateOp.Read(ref reader, txId),
        EditLogOpCode.OP_APPEND => AppendOp.Read(ref reader, txId),
        EditLogOpCode.OP_SET_QUOTA_BY_STORAGETYPE => SetQuotaByStorageTypeOp.Read(ref reader, txId),
        EditLogOpCode.OP_ADD_ERASURE_CODING_POLICY => AddErasureCodingPolicyOp.Read(ref reader, txId),
        EditLogOpCode.OP_ENABLE_ERASURE_CODING_POLICY or EditLogOpCode.OP_DISABLE_ERASURE_CODING_POLICY
            or EditLogOpCode.OP_REMOVE_ERASURE_CODING_POLICY => ErasureCodingPolicyNameOp.Read(ref reader, txId, code),
        _ => throw new EditLogFormatException($"txid {txId} has opcode {(int)code}, which has no body defined", reader.Offset - 9),
    };
}
