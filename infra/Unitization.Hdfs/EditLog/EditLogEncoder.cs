// Long file: one writer per op of the format, kept next to each other like the decoder's OpBodyReader
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;

namespace Unitization.Hdfs.EditLog;

/// <summary>
/// Writes edit log segments the way a NameNode of a given layout version does (Hadoop's <c>FSEditLogOp.Writer</c>
/// and each op's <c>writeFields</c>), written from the format's description independently of the decoder: the
/// fixtures of the decoder's tests and of the bench, and the segments the JournalNode double serves
/// (<c>unitization hdfs journalnode</c>).
/// </summary>
internal sealed class EditLogEncoder(int layoutVersion)
{
    private readonly MemoryStream _out = new();

    public int LayoutVersion { get; } = layoutVersion;

    private bool Has(EditLogFeature feature) => EditLogLayout.Supports(feature, LayoutVersion);

    public static byte[] Segment(int layoutVersion, IEnumerable<EditLogOp> ops)
    {
        var encoder = new EditLogEncoder(layoutVersion);
        encoder.WriteHeader();
        foreach (var op in ops)
        {
            encoder.WriteOp(op);
        }

        return encoder.ToArray();
    }

    public byte[] ToArray() => _out.ToArray();

    public void WriteHeader()
    {
        Int(_out, LayoutVersion);
        Int(_out, 0); // no layout flags
    }

    public void WriteOp(EditLogOp op)
    {
        var body = new MemoryStream();
        WriteBody(body, op);
        var frame = new MemoryStream();
        frame.WriteByte((byte)op.OpCode);
        if (EditLogLayout.HasOpLength(LayoutVersion))
        {
            Int(frame, (int)body.Length + 12);
        }

        Long(frame, op.TxId);
        body.WriteTo(frame);
        var bytes = frame.ToArray();
        _out.Write(bytes);
        Int(_out, (int)Crc32.HashToUInt32(bytes));
    }

    private void WriteBody(MemoryStream o, EditLogOp op)
    {
        switch (op)
        {
            case AddCloseOp a:
                Long(o, a.InodeId);
                Utf8(o, a.Path);
                Short(o, a.Replication);
                Long(o, a.ModificationTime);
                Long(o, a.AccessTime);
                Long(o, a.BlockSize);
                Int(o, a.Blocks.Count);
                foreach (var block in a.Blocks)
                {
                    Long(o, block.BlockId);
                    Long(o, block.NumBytes);
                    Long(o, block.GenerationStamp);
                }

                Permission(o, a.Permissions);
                if (a.Code == EditLogOpCode.OP_ADD)
                {
                    if (Has(EditLogFeature.ExtendedAcl))
                    {
                        CompactAcl(o, a.AclEntries);
                    }

                    if (Has(EditLogFeature.XAttrs))
                    {
                        XAttrProto(o, null, a.XAttrs ?? ValueList<XAttr>.Empty);
                    }

                    Utf8(o, a.ClientName);
                    Utf8(o, a.ClientMachine);
                    if (Has(EditLogFeature.CreateOverwrite))
                    {
                        o.WriteByte(a.Overwrite ? (byte)1 : (byte)0);
                    }

                    if (Has(EditLogFeature.BlockStoragePolicy))
                    {
                        o.WriteByte(a.StoragePolicyId);
                    }

                    if (Has(EditLogFeature.ErasureCoding))
                    {
                        o.WriteByte(a.ErasureCodingPolicyId);
                    }

                    Rpc(o, a.Rpc);
                }

                break;
            case RenameOldOp r:
                Utf8(o, r.Source);
                Utf8(o, r.Destination);
                Long(o, r.Timestamp);
                Rpc(o, r.Rpc);
                break;
            case DeleteOp d:
                Utf8(o, d.Path);
                Long(o, d.Timestamp);
                Rpc(o, d.Rpc);
                break;
            case MkdirOp m:
                Long(o, m.InodeId);
                Utf8(o, m.Path);
                Long(o, m.Timestamp);
                Long(o, m.Timestamp); // access time
                Permission(o, m.Permissions);
                if (Has(EditLogFeature.ExtendedAcl))
                {
                    CompactAcl(o, m.AclEntries);
                }

                if (Has(EditLogFeature.XAttrs))
                {
                    XAttrProto(o, null, m.XAttrs ?? ValueList<XAttr>.Empty);
                }

                break;
            case SetReplicationOp s:
                Utf8(o, s.Path);
                Short(o, s.Replication);
                break;
            case SetPermissionsOp s:
                Utf8(o, s.Source);
                Short(o, s.Mode);
                break;
            case SetOwnerOp s:
                Utf8(o, s.Source);
                Utf8(o, s.UserName ?? string.Empty);
                Utf8(o, s.GroupName ?? string.Empty);
                break;
            case SetGenstampV1Op g1:
                Long(o, g1.GenerationStamp);
                break;
            case SetGenstampV2Op g:
                Long(o, g.GenerationStamp);
                break;
            case AllocateBlockIdOp allocate:
                Long(o, allocate.BlockId);
                break;
            case SetNSQuotaOp q:
                Utf8(o, q.Source);
                Long(o, q.NamespaceQuota);
                break;
            case ClearNSQuotaOp q:
                Utf8(o, q.Source);
                break;
            case TimesOp t:
                Utf8(o, t.Path);
                Long(o, t.ModificationTime);
                Long(o, t.AccessTime);
                break;
            case SetQuotaOp q:
                Utf8(o, q.Source);
                Long(o, q.NamespaceQuota);
                Long(o, q.DiskspaceQuota);
                break;
            case SetQuotaByStorageTypeOp q:
                Utf8(o, q.Source);
                Int(o, q.StorageType);
                Long(o, q.DiskspaceQuota);
                break;
            case RenameOp r:
                Utf8(o, r.Source);
                Utf8(o, r.Destination);
                Long(o, r.Timestamp);
                Int(o, r.Options.Count);
                o.Write(r.Options.AsSpan());
                Rpc(o, r.Rpc);
                break;
            case ConcatDeleteOp c:
                Utf8(o, c.Target);
                Int(o, c.Sources.Count);
                foreach (var s in c.Sources)
                {
                    Utf8(o, s);
                }

                Long(o, c.Timestamp);
                Rpc(o, c.Rpc);
                break;
            case SymlinkOp s:
                Long(o, s.InodeId);
                Utf8(o, s.Path);
                Utf8(o, s.Value);
                Long(o, s.ModificationTime);
                Long(o, s.AccessTime);
                Permission(o, s.Permissions);
                Rpc(o, s.Rpc);
                break;
            case DelegationTokenOp t:
                Token(o, t.Token);
                Long(o, t.ExpiryTime);
                break;
            case CancelDelegationTokenOp t:
                Token(o, t.Token);
                break;
            case UpdateMasterKeyOp k:
                VLong(o, k.Key.KeyId);
                VLong(o, k.Key.ExpiryDate);
                if (k.Key.Key is { } key)
                {
                    VLong(o, key.Count);
                    o.Write(key.AsSpan());
                }
                else
                {
                    VLong(o, -1);
                }

                break;
            case ReassignLeaseOp l:
                Utf8(o, l.LeaseHolder);
                Utf8(o, l.Path);
                Utf8(o, l.NewHolder);
                break;
            case LogSegmentOp:
                break;
            case UpdateBlocksOp u:
                Utf8(o, u.Path);
                CompactBlocks(o, u.Blocks);
                Rpc(o, u.Rpc);
                break;
            case SnapshotOp s:
                Utf8(o, s.SnapshotRoot);
                Utf8(o, s.SnapshotName);
                if (Has(EditLogFeature.SnapshotModificationTime))
                {
                    Long(o, s.ModificationTime);
                }

                Rpc(o, s.Rpc);
                break;
            case RenameSnapshotOp r:
                Utf8(o, r.SnapshotRoot);
                Utf8(o, r.OldName);
                Utf8(o, r.NewName);
                if (Has(EditLogFeature.SnapshotModificationTime))
                {
                    Long(o, r.ModificationTime);
                }

                Rpc(o, r.Rpc);
                break;
            case SnapshotRootOp s:
                Utf8(o, s.SnapshotRoot);
                break;
            case AddBlockOp a:
                Utf8(o, a.Path);
                CompactBlocks(o, a.PenultimateBlock is { } p ? [p, a.LastBlock] : [a.LastBlock]);
                Rpc(o, a.Rpc);
                break;
            case CacheDirectiveOp c:
                Directive(o, c.Directive);
                Rpc(o, c.Rpc);
                break;
            case RemoveCacheDirectiveOp c:
                Long(o, c.Id);
                Rpc(o, c.Rpc);
                break;
            case CachePoolOp c:
                Pool(o, c.Pool);
                Rpc(o, c.Rpc);
                break;
            case RemoveCachePoolOp c:
                Utf8(o, c.PoolName);
                Rpc(o, c.Rpc);
                break;
            case SetAclOp s:
                AclProto(o, s.Source, s.Entries);
                break;
            case RollingUpgradeOp r:
                Long(o, r.Time);
                break;
            case XAttrOp x:
                XAttrProto(o, x.Source, x.XAttrs);
                Rpc(o, x.Rpc);
                break;
            case SetStoragePolicyOp s:
                Utf8(o, s.Path);
                o.WriteByte(s.PolicyId);
                break;
            case TruncateOp t:
                Utf8(o, t.Source);
                Utf8(o, t.ClientName);
                Utf8(o, t.ClientMachine);
                Long(o, t.NewLength);
                Long(o, t.Timestamp);
                CompactBlocks(o, t.TruncateBlock is { } b ? [b] : []);
                break;
            case AppendOp a:
                Utf8(o, a.Path);
                Utf8(o, a.ClientName);
                Utf8(o, a.ClientMachine);
                o.WriteByte(a.NewBlock ? (byte)1 : (byte)0);
                Rpc(o, a.Rpc);
                break;
            case AddErasureCodingPolicyOp e:
                Utf8(o, e.Codec);
                Int(o, e.DataUnits);
                Int(o, e.ParityUnits);
                Int(o, e.CellSize);
                Int(o, e.ExtraOptions.Count);
                foreach (var option in e.ExtraOptions)
                {
                    Utf8(o, option.Key);
                    Utf8(o, option.Value);
                }

                Rpc(o, e.Rpc);
                break;
            case ErasureCodingPolicyNameOp e:
                Utf8(o, e.PolicyName);
                Rpc(o, e.Rpc);
                break;
            case UnknownOp u:
                o.Write(u.Body.AsSpan());
                break;
            default:
                throw new ArgumentException($"no encoding for {op.GetType().Name}", nameof(op));
        }
    }

    private static void Int(Stream o, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        o.Write(b);
    }

    private static void Long(Stream o, long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        o.Write(b);
    }

    private static void Short(Stream o, short value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, value);
        o.Write(b);
    }

    /// <summary>Hadoop's <c>UTF8.writeString</c>: 16-bit length, each UTF-16 unit as 1 to 3 bytes.</summary>
    internal static void Utf8(Stream o, string value)
    {
        var bytes = new List<byte>();
        foreach (var c in value)
        {
            if (c <= 0x7F)
            {
                bytes.Add((byte)c);
            }
            else if (c <= 0x7FF)
            {
                bytes.Add((byte)(0xC0 | (c >> 6)));
                bytes.Add((byte)(0x80 | (c & 0x3F)));
            }
            else
            {
                bytes.Add((byte)(0xE0 | (c >> 12)));
                bytes.Add((byte)(0x80 | ((c >> 6) & 0x3F)));
                bytes.Add((byte)(0x80 | (c & 0x3F)));
            }
        }

        Short(o, (short)bytes.Count);
        o.Write([.. bytes]);
    }

    /// <summary>Hadoop's <c>WritableUtils.writeVLong</c>.</summary>
    internal static void VLong(Stream o, long value)
    {
        if (value is >= -112 and <= 127)
        {
            o.WriteByte((byte)value);
            return;
        }

        var length = -112;
        if (value < 0)
        {
            value = ~value;
            length = -120;
        }

        for (var tmp = value; tmp != 0; tmp >>= 8)
        {
            length--;
        }

        o.WriteByte((byte)length);
        length = length < -120 ? -(length + 120) : -(length + 112);
        for (var idx = length; idx != 0; idx--)
        {
            o.WriteByte((byte)((value >> ((idx - 1) * 8)) & 0xFF));
        }
    }

    private static void Text(Stream o, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        VLong(o, bytes.Length);
        o.Write(bytes);
    }

    private static void Permission(Stream o, PermissionStatus p)
    {
        Text(o, p.UserName);
        Text(o, p.GroupName);
        Short(o, p.Mode);
    }

    private static void Rpc(Stream o, RpcIds rpc)
    {
        Short(o, (short)rpc.ClientId.Count);
        o.Write(rpc.ClientId.AsSpan());
        Int(o, rpc.CallId);
    }

    private static void CompactAcl(Stream o, ValueList<AclEntry>? entries)
    {
        if (entries is not { } list)
        {
            Int(o, 0);
            return;
        }

        Int(o, list.Count);
        foreach (var e in list)
        {
            var v = (e.Scope << 5) | (e.Type << 3) | e.Permission | (e.Name is null ? 0 : 1 << 6);
            o.WriteByte((byte)v);
            if (e.Name is not null)
            {
                Utf8(o, e.Name);
            }
        }
    }

    private static void CompactBlocks(Stream o, IReadOnlyList<Block> blocks)
    {
        VLong(o, blocks.Count);
        Block previous = default;
        foreach (var b in blocks)
        {
            Long(o, b.BlockId);
            VLong(o, b.NumBytes - previous.NumBytes);
            VLong(o, b.GenerationStamp - previous.GenerationStamp);
            previous = b;
        }
    }

    private static void Token(Stream o, DelegationTokenIdentifier t)
    {
        o.WriteByte(0);
        Text(o, t.Owner);
        Text(o, t.Renewer);
        Text(o, t.RealUser);
        VLong(o, t.IssueDate);
        VLong(o, t.MaxDate);
        VLong(o, t.SequenceNumber);
        VLong(o, t.MasterKeyId);
    }

    private static void Directive(Stream o, CacheDirectiveInfo d)
    {
        Long(o, d.Id);
        var flags = (d.Path is null ? 0 : 1) | (d.Replication is null ? 0 : 2) | (d.Pool is null ? 0 : 4) | (d.Expiration is null ? 0 : 8);
        Int(o, flags);
        if (d.Path is not null)
        {
            Utf8(o, d.Path);
        }

        if (d.Replication is { } r)
        {
            Short(o, r);
        }

        if (d.Pool is not null)
        {
            Utf8(o, d.Pool);
        }

        if (d.Expiration is { } e)
        {
            Long(o, e);
        }
    }

    private static void Pool(Stream o, CachePoolInfo p)
    {
        Utf8(o, p.PoolName);
        var flags = (p.OwnerName is null ? 0 : 1) | (p.GroupName is null ? 0 : 2) | (p.Mode is null ? 0 : 4) | (p.Limit is null ? 0 : 8)
            | (p.MaxRelativeExpiry is null ? 0 : 16) | (p.DefaultReplication is null ? 0 : 32);
        Int(o, flags);
        if (p.OwnerName is not null)
        {
            Utf8(o, p.OwnerName);
        }

        if (p.GroupName is not null)
        {
            Utf8(o, p.GroupName);
        }

        if (p.Mode is { } mode)
        {
            Short(o, mode);
        }

        if (p.Limit is { } limit)
        {
            Long(o, limit);
        }

        if (p.MaxRelativeExpiry is { } expiry)
        {
            Long(o, expiry);
        }

        if (p.DefaultReplication is { } replication)
        {
            Short(o, replication);
        }
    }

    private static void XAttrProto(Stream o, string? src, ValueList<XAttr> xattrs)
    {
        var message = new MemoryStream();
        if (src is not null)
        {
            ProtoString(message, 1, src);
        }

        foreach (var x in xattrs)
        {
            var inner = new MemoryStream();
            ProtoVarint(inner, 1, (ulong)x.NameSpace);
            ProtoString(inner, 2, x.Name);
            if (x.Value is { } value)
            {
                ProtoBytes(inner, 3, value.AsSpan());
            }

            ProtoBytes(message, 2, inner.ToArray());
        }

        Varint(o, (ulong)message.Length);
        message.WriteTo(o);
    }

    private static void AclProto(Stream o, string src, ValueList<AclEntry> entries)
    {
        var message = new MemoryStream();
        ProtoString(message, 1, src);
        foreach (var e in entries)
        {
            var inner = new MemoryStream();
            ProtoVarint(inner, 1, (ulong)e.Type);
            ProtoVarint(inner, 2, (ulong)e.Scope);
            ProtoVarint(inner, 3, (ulong)e.Permission);
            if (e.Name is not null)
            {
                ProtoString(inner, 4, e.Name);
            }

            ProtoBytes(message, 2, inner.ToArray());
        }

        Varint(o, (ulong)message.Length);
        message.WriteTo(o);
    }

    private static void ProtoVarint(Stream o, int field, ulong value)
    {
        Varint(o, (ulong)(field << 3));
        Varint(o, value);
    }

    private static void ProtoString(Stream o, int field, string value) => ProtoBytes(o, field, Encoding.UTF8.GetBytes(value));

    private static void ProtoBytes(Stream o, int field, ReadOnlySpan<byte> value)
    {
        Varint(o, (ulong)((field << 3) | 2));
        Varint(o, (ulong)value.Length);
        o.Write(value);
    }

    private static void Varint(Stream o, ulong value)
    {
        while (value >= 0x80)
        {
            o.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        o.WriteByte((byte)value);
    }
}
