using Unitization.Replication.Pump;

namespace Unitization.Replication.Tests.Pump;

public sealed class ReplicationHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MetastoreCallFailed_OtherCallsSucceeding_StillShowsTheFailingCall()
    {
        var health = new ReplicationHealth();
        for (var i = 0; i < 47; i++)
        {
            health.MetastoreCallFailed("get_table_req", "Invalid method name: 'get_table_req'", T0.AddSeconds(i));
            health.MetastoreCallSucceeded("get_next_notification");
        }

        Assert.Equal(47, health.MetastoreCallFailures);
        Assert.Equal("get_table_req: Invalid method name: 'get_table_req'", health.MetastoreCallError);
        Assert.Equal(T0, health.MetastoreCallFailingSince);
    }

    [Fact]
    public void MetastoreCallSucceeded_SameCall_ClearsIt()
    {
        var health = new ReplicationHealth();
        health.MetastoreCallFailed("get_table_req", "timeout", T0);
        health.MetastoreCallSucceeded("get_table_req");

        Assert.Equal((null, 0, null), (health.MetastoreCallError, health.MetastoreCallFailures, health.MetastoreCallFailingSince));
    }
}
