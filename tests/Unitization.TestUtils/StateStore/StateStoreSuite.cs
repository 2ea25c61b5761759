using Unitization.StateStore;

namespace Unitization.TestUtils.StateStore;

/// <summary>
/// The base of a repository suite that runs on both providers: each test calls <see cref="StoreAsync"/> with its
/// provider (<c>[Theory, InlineData(StateProviders.Sqlite), InlineData(StateProviders.PostgreSql)]</c>) and gets a
/// fresh store with the migrations it names, dropped when the test ends.
/// </summary>
public abstract class StateStoreSuite : IAsyncDisposable
{
    private TestStateStore? _state;

    /// <summary>The store of the running test (after <see cref="StoreAsync"/>).</summary>
    protected TestStateStore State => _state ?? throw new InvalidOperationException("Call StoreAsync first.");

    public async ValueTask DisposeAsync()
    {
        if (_state is not null)
        {
            await _state.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<IStateDatabase> StoreAsync(string provider, params StateMigration[] migrations)
    {
        _state = await TestStateStore.CreateAsync(provider, Xunit.TestContext.Current.CancellationToken);
        return _state.OpenAnother(migrations);
    }
}
