using Unitization.Replication.Locations;
using Unitization.StateStore;
using Unitization.TestUtils.StateStore;

namespace Unitization.Replication.Tests.Locations;

/// <summary>Table locations on both providers (PostgreSQL from <c>UNITIZATION_TEST_POSTGRES</c>).</summary>
public sealed class StateStoreTableLocationStoreTests : StateStoreSuite
{
    private StateStoreTableLocationStore _store = null!;

    private async Task UseAsync(string provider) =>
        _store = new StateStoreTableLocationStore(await StoreAsync(provider, StateStoreTableLocationStore.Migration));

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task RecordAsync_TwiceForOneTable_KeepsTheLatestPathUnderLowerCaseNames(string provider)
    {
        await UseAsync(provider);
        await _store.RecordAsync("Sales", "Orders", "/warehouse/sales.db/orders/", Ct);
        await _store.RecordAsync("sales", "ORDERS", "/warehouse/sales.db/orders_v2", Ct);

        Assert.Equal("/warehouse/sales.db/orders_v2", await _store.GetAsync("SALES", "orders", Ct));
        Assert.Null(await _store.GetAsync("sales", "items", Ct));
    }

    [Theory]
    [InlineData(StateProviders.Sqlite)]
    [InlineData(StateProviders.PostgreSql)]
    public async Task TableAtAsync_FileUnderAPartition_FindsTheNearestTableAndNoSiblingByPrefix(string provider)
    {
        await UseAsync(provider);
        await _store.RecordAsync("sales", "orders", "/w/sales/orders", Ct);
        await _store.RecordAsync("sales", "archive", "/w/sales", Ct);

        Assert.Equal("sales.orders", await _store.TableAtAsync("/w/sales/orders/dt=1/part-0.orc", Ct));
        Assert.Equal("sales.orders", await _store.TableAtAsync("/w/sales/orders", Ct));
        Assert.Equal("sales.archive", await _store.TableAtAsync("/w/sales/orders_old/x", Ct)); // not orders: whole segments only
        Assert.Null(await _store.TableAtAsync("/x/y", Ct));
    }
}
