using Unitization.Namespaces.Edits;
using Unitization.Namespaces.Local;

namespace Unitization.Namespaces.Tests.Local;

public sealed class PathVersionsTests
{
    private static EditRecord Edit(long txid, EditOp op, string path, string? destination = null) =>
        new(new TxId(txid), op, path, destination, 0, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Apply_Exchange_SwapsBothSubtreesAtItsTxid()
    {
        var versions = new PathVersions();
        versions.Apply(Edit(1, EditOp.Create, "/w/t/p=1/old-0"));
        versions.Apply(Edit(2, EditOp.Create, "/s/new-0"));
        versions.Apply(Edit(3, EditOp.Create, "/w/u/part-0"));

        versions.Apply(Edit(4, EditOp.Exchange, "/s", "/w/t/p=1"));

        Assert.Equal(new TxId(4), versions.Get("/w/t/p=1"));
        Assert.Equal(new TxId(4), versions.Get("/w/t/p=1/new-0"));
        Assert.Equal(new TxId(4), versions.Get("/s"));
        Assert.Equal(new TxId(4), versions.Get("/s/old-0"));
        Assert.Equal(new TxId(4), versions.Get("/w"));
        Assert.Equal(TxId.None, versions.Get("/w/t/p=1/old-0"));
        Assert.Equal(TxId.None, versions.Get("/s/new-0"));
        Assert.Equal(new TxId(3), versions.Get("/w/u/part-0"));
    }

    [Fact]
    public void GetChecksum_FollowsTheFileThroughRenameExchangeAndOverwrite_DroppedOnDelete()
    {
        var versions = new PathVersions();
        versions.Apply(Created(1, "/s/a", "aa"));
        versions.Apply(Created(2, "/w/t/b", "bb"));
        versions.Apply(Edit(3, EditOp.SetTimes, "/s/a"));
        Assert.Equal(("aa", new TxId(3)), versions.GetChecksum("/s/a"));

        versions.Apply(Edit(4, EditOp.Rename, "/s", "/r"));
        versions.Apply(Edit(5, EditOp.Exchange, "/r", "/w/t"));

        Assert.Equal(("bb", new TxId(5)), versions.GetChecksum("/r/b"));
        Assert.Equal(("aa", new TxId(5)), versions.GetChecksum("/w/t/a"));
        Assert.Null(versions.GetChecksum("/s/a"));
        Assert.Null(versions.GetChecksum("/w/t"));

        versions.Apply(Created(6, "/r/b", "cc"));
        Assert.Equal(("cc", new TxId(6)), versions.GetChecksum("/r/b"));
        versions.Apply(Edit(7, EditOp.Delete, "/r"));
        Assert.Null(versions.GetChecksum("/r/b"));
        versions.Apply(Edit(8, EditOp.Mkdirs, "/r/b"));
        Assert.Null(versions.GetChecksum("/r/b"));
    }

    private static EditRecord Created(long txid, string path, string checksum) =>
        new(new TxId(txid), EditOp.Create, path, null, 2, checksum, DateTimeOffset.UnixEpoch);
}
