using Unitization.Hdfs.EditLog;
using Unitization.Hdfs.EditLog.Model;
using Unitization.Hdfs.EditLog.Ops;

namespace Unitization.TestUtils.Hdfs;

/// <summary>
/// Random ops of every opcode as a NameNode of a given layout version writes them (fields the version lacks hold
/// what the decoder gives for them), from a seed: the generator behind the round-trip properties and the bench.
/// </summary>
internal sealed class RandomOps(int seed, int layoutVersion)
{
    private static readonly string[] Words = ["user", "warehouse", "tbl", "part-00000", "dt=2024-01-01", "é", "数据", "a b", "x&y<z>", "tab\there", "😀", "back\\slash", "q\"uote'"];

    private readonly Random _random = new(seed);

    /// <summary>Every opcode that has a body (all of FSEditLogOpCodes but the obsolete 5 and 6 and OP_INVALID).</summary>
    public static IReadOnlyList<EditLogOpCode> OpCodes { get; } =
        Enum.GetValues<EditLogOpCode>().Where(c => c is not (EditLogOpCode.OP_DATANODE_ADD or EditLogOpCode.OP_DATANODE_REMOVE or EditLogOpCode.OP_INVALID)).ToArray();

    private bool Has(EditLogFeature feature) => EditLogLayout.Supports(feature, layoutVersion);

    public IEnumerable<EditLogOp> Segment(int count, long firstTxId = 1)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Op(OpCodes[_random.Next(OpCodes.Count)], firstTxId + i);
        }
    }

    public EditLogOp Op(EditLogOpCode code, long txId) => code switch
    {
        EditLogOpCode.OP_ADD => new AddCloseOp(txId, code, Long(), Path(), Short(), Long(), Long(), Long(), Blocks(), Permissions(),
            Has(EditLogFeature.ExtendedAcl) ? NonEmptyOrNull(Acl()) : null,
            Has(EditLogFeature.XAttrs) ? XAttrs() : null,
            Word(), Word(),
            Has(EditLogFeature.CreateOverwrite) && Bool(),
            Has(EditLogFeature.BlockStoragePolicy) ? Byte() : (byte)0,
            Has(EditLogFeature.ErasureCoding) ? Byte() : (byte)0,
            Rpc()),
        EditLogOpCode.OP_CLOSE => new AddCloseOp(txId, code, Long(), Path(), Short(), Long(), Long(), Long(), Blocks(), Permissions(),
            null, null, string.Empty, string.Empty, false, 0, 0, RpcIds.None),
        EditLogOpCode.OP_RENAME_OLD => new RenameOldOp(txId, Path(), Path(), Long(), Rpc()),
        EditLogOpCode.OP_DELETE => new DeleteOp(txId, Path(), Long(), Rpc()),
        EditLogOpCode.OP_MKDIR => new MkdirOp(txId, Long(), Path(), Long(), Permissions(),
            Has(EditLogFeature.ExtendedAcl) ? NonEmptyOrNull(Acl()) : null, Has(EditLogFeature.XAttrs) ? XAttrs() : null),
        EditLogOpCode.OP_SET_REPLICATION => new SetReplicationOp(txId, Path(), Short()),
        EditLogOpCode.OP_SET_PERMISSIONS => new SetPermissionsOp(txId, Path(), Mode()),
        EditLogOpCode.OP_SET_OWNER => new SetOwnerOp(txId, Path(), Bool() ? Word() : null, Bool() ? Word() : null),
        EditLogOpCode.OP_SET_GENSTAMP_V1 => new SetGenstampV1Op(txId, Long()),
        EditLogOpCode.OP_SET_NS_QUOTA => new SetNSQuotaOp(txId, Path(), Long()),
        EditLogOpCode.OP_CLEAR_NS_QUOTA => new ClearNSQuotaOp(txId, Path()),
        EditLogOpCode.OP_TIMES => new TimesOp(txId, Path(), Long(), Long()),
        EditLogOpCode.OP_SET_QUOTA => new SetQuotaOp(txId, Path(), Long(), Long()),
        EditLogOpCode.OP_RENAME => new RenameOp(txId, Path(), Path(), Long(), new ValueList<byte>(Many(() => (byte)_random.Next(3), 3)), Rpc()),
        EditLogOpCode.OP_CONCAT_DELETE => new ConcatDeleteOp(txId, Path(), new ValueList<string>(Many(Path, 4)), Long(), Rpc()),
        EditLogOpCode.OP_SYMLINK => new SymlinkOp(txId, Long(), Path(), Path(), Long(), Long(), Permissions(), Rpc()),
        EditLogOpCode.OP_GET_DELEGATION_TOKEN or EditLogOpCode.OP_RENEW_DELEGATION_TOKEN => new DelegationTokenOp(txId, code, Token(), Long()),
        EditLogOpCode.OP_CANCEL_DELEGATION_TOKEN => new CancelDelegationTokenOp(txId, Token()),
        EditLogOpCode.OP_UPDATE_MASTER_KEY => new UpdateMasterKeyOp(txId, new DelegationKey(_random.Next(int.MinValue, int.MaxValue), Long(), Bool() ? Bytes(16) : null)),
        EditLogOpCode.OP_REASSIGN_LEASE => new ReassignLeaseOp(txId, Word(), Path(), Word()),
        EditLogOpCode.OP_END_LOG_SEGMENT or EditLogOpCode.OP_START_LOG_SEGMENT => new LogSegmentOp(txId, code),
        EditLogOpCode.OP_UPDATE_BLOCKS => new UpdateBlocksOp(txId, Path(), Blocks(), Rpc()),
        EditLogOpCode.OP_CREATE_SNAPSHOT or EditLogOpCode.OP_DELETE_SNAPSHOT =>
            new SnapshotOp(txId, code, Path(), Word(), Has(EditLogFeature.SnapshotModificationTime) ? Long() : 0, Rpc()),
        EditLogOpCode.OP_RENAME_SNAPSHOT => new RenameSnapshotOp(txId, Path(), Word(), Word(), Has(EditLogFeature.SnapshotModificationTime) ? Long() : 0, Rpc()),
        EditLogOpCode.OP_ALLOW_SNAPSHOT or EditLogOpCode.OP_DISALLOW_SNAPSHOT => new SnapshotRootOp(txId, code, Path()),
        EditLogOpCode.OP_SET_GENSTAMP_V2 => new SetGenstampV2Op(txId, Long()),
        EditLogOpCode.OP_ALLOCATE_BLOCK_ID => new AllocateBlockIdOp(txId, Long()),
        EditLogOpCode.OP_ADD_BLOCK => new AddBlockOp(txId, Path(), Bool() ? Block() : null, Block(), Rpc()),
        EditLogOpCode.OP_ADD_CACHE_DIRECTIVE or EditLogOpCode.OP_MODIFY_CACHE_DIRECTIVE => new CacheDirectiveOp(txId, code,
            new CacheDirectiveInfo(Long(), Bool() ? Path() : null, Bool() ? Short() : null, Bool() ? Word() : null, Bool() ? Long() : null), Rpc()),
        EditLogOpCode.OP_REMOVE_CACHE_DIRECTIVE => new RemoveCacheDirectiveOp(txId, Long(), Rpc()),
        EditLogOpCode.OP_ADD_CACHE_POOL or EditLogOpCode.OP_MODIFY_CACHE_POOL => new CachePoolOp(txId, code,
            new CachePoolInfo(Word(), Bool() ? Word() : null, Bool() ? Word() : null, Bool() ? Mode() : null, Bool() ? Long() : null, Bool() ? Long() : null, Bool() ? Short() : null), Rpc()),
        EditLogOpCode.OP_REMOVE_CACHE_POOL => new RemoveCachePoolOp(txId, Word(), Rpc()),
        EditLogOpCode.OP_SET_ACL => new SetAclOp(txId, Path(), Acl()),
        EditLogOpCode.OP_ROLLING_UPGRADE_START or EditLogOpCode.OP_ROLLING_UPGRADE_FINALIZE => new RollingUpgradeOp(txId, code, Long()),
        EditLogOpCode.OP_SET_XATTR or EditLogOpCode.OP_REMOVE_XATTR => new XAttrOp(txId, code, Path(), XAttrs(), Rpc()),
        EditLogOpCode.OP_SET_STORAGE_POLICY => new SetStoragePolicyOp(txId, Path(), Byte()),
        EditLogOpCode.OP_TRUNCATE => new TruncateOp(txId, Path(), Word(), Word(), Long(), Long(), Bool() ? Block() : null),
        EditLogOpCode.OP_APPEND => new AppendOp(txId, Path(), Word(), Word(), Bool(), Rpc()),
        EditLogOpCode.OP_SET_QUOTA_BY_STORAGETYPE => new SetQuotaByStorageTypeOp(txId, Path(), _random.Next(6), Long()),
        EditLogOpCode.OP_ADD_ERASURE_CODING_POLICY => new AddErasureCodingPolicyOp(txId, Word(), _random.Next(1, 20), _random.Next(1, 10), 1024 * _random.Next(1, 1024),
            new ValueList<ErasureCodingOption>(Many(() => new ErasureCodingOption(Word(), Word()), 3)), Rpc()),
        EditLogOpCode.OP_ENABLE_ERASURE_CODING_POLICY or EditLogOpCode.OP_DISABLE_ERASURE_CODING_POLICY or EditLogOpCode.OP_REMOVE_ERASURE_CODING_POLICY =>
            new ErasureCodingPolicyNameOp(txId, code, Word(), Rpc()),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "no body"),
    };

    private T[] Many<T>(Func<T> item, int max)
    {
        var items = new T[_random.Next(max + 1)];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = item();
        }

        return items;
    }

    private static ValueList<AclEntry>? NonEmptyOrNull(ValueList<AclEntry> entries) => entries.Count == 0 ? null : entries;

    private long Long() => _random.Next(4) switch
    {
        0 => _random.Next(-200, 200),
        1 => _random.NextInt64(),
        2 => -_random.NextInt64(),
        _ => 1_700_000_000_000L + _random.Next(),
    };

    private short Short() => (short)_random.Next(short.MinValue, short.MaxValue + 1);

    private byte Byte() => (byte)_random.Next(256);

    private bool Bool() => _random.Next(2) == 1;

    private short Mode() => (short)_random.Next(0x400);

    private string Word() => Words[_random.Next(Words.Length)] + _random.Next(100);

    private string Path() => "/" + string.Join('/', Many(Word, 4));

    private ValueList<byte> Bytes(int max) => new(Many(Byte, max));

    private Block Block() => new(_random.NextInt64(), _random.Next(4) == 0 ? 0 : _random.NextInt64(0, 1L << 40), _random.NextInt64(0, 1L << 40));

    private ValueList<Block> Blocks() => new(Many(Block, 5));

    private PermissionStatus Permissions() => new(Word(), Word(), Mode());

    private RpcIds Rpc() => Bool() ? RpcIds.None : new RpcIds(new ValueList<byte>(Enumerable.Range(0, 16).Select(_ => Byte()).ToArray()), _random.Next(int.MinValue, int.MaxValue));

    private ValueList<AclEntry> Acl() => new(Many(() => new AclEntry(_random.Next(2), _random.Next(4), _random.Next(8), Bool() ? Word() : null), 5));

    private ValueList<XAttr> XAttrs() => new(Many(() => new XAttr(_random.Next(5), Word(), Bool() ? Bytes(8) : null), 3));

    private DelegationTokenIdentifier Token() => new(Word(), Word(), Word(), Long(), Long(), _random.Next(int.MinValue, int.MaxValue), _random.Next(int.MinValue, int.MaxValue));
}
