using Unitization.Hdfs.JournalNode;
using Unitization.Namespaces;
using Unitization.Namespaces.Edits;

namespace Unitization.Hdfs.Tests.JournalNode;

public sealed class NamespaceSubtreeTests
{
    private static readonly NamespaceSubtree Hdfs = new("/hdfs");

    [Theory]
    [InlineData(EditOp.Create, "/hdfs/w/f", null, EditOp.Create, "/w/f", null)]
    [InlineData(EditOp.Mkdirs, "/hdfs", null, EditOp.Mkdirs, "/", null)]
    [InlineData(EditOp.Rename, "/hdfs/a", "/hdfs/b", EditOp.Rename, "/a", "/b")]
    [InlineData(EditOp.Rename, "/hdfs/a", "/elsewhere/b", EditOp.Delete, "/a", null)]
    [InlineData(EditOp.Rename, "/elsewhere/a", "/hdfs/b", EditOp.Create, "/b", null)]
    [InlineData(EditOp.Exchange, "/hdfs/a", "/hdfs/b", EditOp.Exchange, "/a", "/b")]
    public void Map_EditTouchingTheSubtree_LoggedRelativeToIt(EditOp op, string path, string? destination, EditOp expectedOp, string expectedPath, string? expectedDestination)
    {
        var mapped = Hdfs.Map(Edit(op, path, destination));

        Assert.NotNull(mapped);
        Assert.Equal((expectedOp, expectedPath, expectedDestination), (mapped.Op, mapped.Path, mapped.Destination));
    }

    [Theory]
    [InlineData(EditOp.Create, "/hdfsx/f", null)]
    [InlineData(EditOp.Delete, "/other", null)]
    [InlineData(EditOp.Rename, "/a", "/b")]
    public void Map_EditOutsideTheSubtree_LeftOut(EditOp op, string path, string? destination)
    {
        Assert.Null(Hdfs.Map(Edit(op, path, destination)));
    }

    [Fact]
    public void Map_RootSubtree_KeepsEveryPath()
    {
        var edit = Edit(EditOp.Rename, "/a", "/b");

        Assert.Equal(edit, new NamespaceSubtree("/").Map(edit));
    }

    private static EditRecord Edit(EditOp op, string path, string? destination) =>
        new(new TxId(7), op, path, destination, 0, null, DateTimeOffset.UnixEpoch);
}
