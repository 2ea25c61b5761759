namespace Unitization.Namespaces.Tests;

public sealed class NamespacePathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("//a/./b/", "/a/b")]
    [InlineData("/a/b/../c", "/a/c")]
    [InlineData("/a/..", "/")]
    [InlineData("/warehouse/db.db/t/dt=2024-01-01/part-0", "/warehouse/db.db/t/dt=2024-01-01/part-0")]
    public void Normalize_ValidPath_IsCanonical(string input, string expected) =>
        Assert.Equal(expected, NamespacePath.Normalize(input));

    [Theory]
    [InlineData("/..", "'..' would leave the namespace root")]
    [InlineData("/a/../../etc/passwd", "'..' would leave the namespace root")]
    [InlineData("a/b", "must be absolute")]
    [InlineData("", "A path is required")]
    [InlineData("/a\\..\\..\\b", "backslash")]
    [InlineData("C:/Windows", "':'")]
    [InlineData("/a\0b", "NUL")]
    [InlineData("/a\nb", "control character")]
    public void Normalize_EscapingOrMalformedPath_IsRefusedWithReason(string input, string reason)
    {
        var ex = Assert.Throws<NamespacePathException>(() => NamespacePath.Normalize(input));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_OverlongComponent_IsRefused() =>
        Assert.Throws<NamespacePathException>(() => NamespacePath.Normalize("/" + new string('x', 256)));

    [Theory]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/a", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a", "/", true)]
    public void IsSameOrUnder_Paths_ComparesByComponent(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, NamespacePath.IsSameOrUnder(path, ancestor));

    [Fact]
    public void Ancestors_NestedPath_NearestFirstEndingAtRoot() =>
        Assert.Equal(["/a/b", "/a", "/"], NamespacePath.Ancestors("/a/b/c"));
}
