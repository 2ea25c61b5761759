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
}
