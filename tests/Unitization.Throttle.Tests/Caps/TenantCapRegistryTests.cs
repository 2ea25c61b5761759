using Unitization.Throttle.Caps;

namespace Unitization.Throttle.Tests.Caps;

public sealed class TenantCapRegistryTests
{
    [Fact]
    public void SetAndRemove_RaiseChangedAndListInOrder()
    {
        var caps = new TenantCapRegistry();
        var changed = new List<string>();
        caps.Changed += changed.Add;

        caps.Set(new TenantCap("b", 10, "alice", DateTimeOffset.UnixEpoch, null));
        caps.Set(new TenantCap("a", 20, "alice", DateTimeOffset.UnixEpoch, "hog"));

        Assert.Equal(["a", "b"], caps.List().Select(c => c.Tenant));
        Assert.Equal(20, caps.Find("a")!.BytesPerSecond);
        Assert.Equal("b", caps.Remove("b")!.Tenant);
        Assert.Null(caps.Remove("b"));
        Assert.Null(caps.Find("b"));
        Assert.Equal(["b", "a", "b"], changed);
    }

    [Fact]
    public void Set_NonPositiveRate_Throws()
    {
        var caps = new TenantCapRegistry();

        Assert.Throws<ArgumentOutOfRangeException>(() => caps.Set(new TenantCap("a", 0, "alice", DateTimeOffset.UnixEpoch, null)));
    }
}
