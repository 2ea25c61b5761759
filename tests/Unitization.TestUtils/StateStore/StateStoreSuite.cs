using Unitization.StateStore;

namespace Unitization.TestUtils.StateStore;

/// <summary>
/// The base of a suite that runs on both providers: each test calls <see cref="StateAsync"/> (or
/// <see cref="StoreAsync"/>) with its provider (<c>[Theory, InlineData(StateProviders.Sqlite), InlineData(StateProviders.PostgreSql)]</c>)
/// and gets a fresh store, dropped when the test ends.
/// </summary>
public abstract class StateStoreSuite : IAsyncDisposable
{
    private TestStateStore? _state;

    /// <summary>The running test's cancellation token.</summary>
    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>The store of the running test (after <see cref="StateAsync"/> or <see cref="StoreAsync"/>).</summary>
    protected TestStateStore State => _state ?? throw new InvalidOperationException("Call StateAsync or StoreAsync first.");

    public async ValueTask DisposeAsync()
    {
        if (_state is not null)
        {
            await _state.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh, empty store of <paramref name="provider"/> for this test (one per test).</summary>
    protected async Task<TestStateStore> StateAsync(string provider)
    {
        if (_state is not null)
        {
            throw new InvalidOperationException("This test already has its store.");
        }

        _state = await TestStateStore.CreateAsync(provider, Ct);
        return _state;
    }

    /// <summary>A fresh store of <paramref name="provider"/>, opened with the migrations <paramref name="migrations"/> name.</summary>
    protected async Task<IStateDatabase> StoreAsync(string provider, params StateMigration[] migrations) =>
        (await StateAsync(provider)).OpenAnother(migrations);
}
