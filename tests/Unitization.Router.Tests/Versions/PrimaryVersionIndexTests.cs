using Unitization.Namespaces;
using Unitization.Namespaces.Edits;
using Unitization.Router.Versions;

namespace Unitization.Router.Tests.Versions;

public sealed class PrimaryVersionIndexTests
{
    private static EditRecord Edit(long txid, EditOp op, string path, string? destination = null) =>
        new(new TxId(txid), op, path, destination, 0, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void LastUnder_EditsBelow_CountForEveryAncestor()
    {
        var index = new PrimaryVersionIndex();
        index.Apply(Edit(1, EditOp.Create, "/w/db/t1/p=1/part-0"));
        index.Apply(Edit(2, EditOp.Create, "/w/db/t2/part-0"));
        Assert.Equal(new TxId(1), index.LastUnder("/w/db/t1"));
        Assert.Equal(new TxId(1), index.LastUnder("/w/db/t1/p=1/part-0"));
        Assert.Equal(new TxId(2), index.LastUnder("/w/db"));
        Assert.Equal(new TxId(2), index.LastUnder("/"));
        Assert.Equal(TxId.None, index.LastUnder("/w/other"));
        Assert.Equal(new TxId(2), index.Position);
    }

    [Fact]
    public void LastUnder_Exchange_TouchesEverythingBelowBothSides()
    {
        var index = new PrimaryVersionIndex();
        index.Apply(Edit(1, EditOp.Create, "/w/t/p=1/part-0"));
        index.Apply(Edit(2, EditOp.Create, "/w/.staging/s1/part-0"));
        index.Apply(Edit(3, EditOp.Create, "/w/other/part-0"));

        index.Apply(Edit(4, EditOp.Exchange, "/w/.staging/s1", "/w/t/p=1"));

        Assert.Equal(new TxId(4), index.LastUnder("/w/t/p=1"));
        Assert.Equal(new TxId(4), index.LastUnder("/w/t/p=1/part-0"));
        Assert.Equal(new TxId(4), index.LastUnder("/w/.staging/s1/part-0"));
        Assert.Equal(new TxId(4), index.LastUnder("/w/t"));
        Assert.Equal(new TxId(3), index.LastUnder("/w/other"));
    }

    [Fact]
    public void LastUnder_DeleteOrRenameOfAnAncestor_TouchesEverythingBelow()
    {
        var index = new PrimaryVersionIndex();
        index.Apply(Edit(1, EditOp.Create, "/w/t/p=1/part-0"));
        index.Apply(Edit(2, EditOp.Delete, "/w/t"));
        Assert.Equal(new TxId(2), index.LastUnder("/w/t/p=1/part-0"));
        index.Apply(Edit(3, EditOp.Rename, "/w/s", "/w/t"));
        Assert.Equal(new TxId(3), index.LastUnder("/w/t/p=9"));
        Assert.Equal(new TxId(3), index.LastUnder("/w/s/x"));
        index.Apply(Edit(4, EditOp.Mkdirs, "/w"));
        Assert.Equal(new TxId(3), index.LastUnder("/w/t/p=9")); // a mkdirs above changes nothing below
    }

    [Fact]
    public void Apply_ReplayedEdit_IsIgnored()
    {
        var index = new PrimaryVersionIndex();
        index.Apply(Edit(5, EditOp.Create, "/a"));
        index.Apply(Edit(3, EditOp.Create, "/b"));
        Assert.Equal(TxId.None, index.LastUnder("/b"));
        Assert.Equal(new TxId(5), index.Position);
    }

    [Fact]
    public void Apply_SeveralEditsAtOneTxid_AllApply()
    {
        // an HDFS concat: the target written and every source deleted, all at txid 7
        var index = new PrimaryVersionIndex();
        index.Apply(Edit(5, EditOp.Create, "/a/s1"));
        index.Apply(Edit(7, EditOp.Create, "/a/t"));
        index.Apply(Edit(7, EditOp.Delete, "/a/s1"));
        index.Apply(Edit(7, EditOp.Delete, "/b/s2"));

        Assert.Equal(new TxId(7), index.LastUnder("/a/s1"));
        Assert.Equal(new TxId(7), index.LastUnder("/b/s2"));
        Assert.Equal(new TxId(7), index.Position);
    }
}
