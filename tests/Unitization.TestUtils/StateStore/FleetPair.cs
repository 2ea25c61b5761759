using Unitization.StateStore;

namespace Unitization.TestUtils.StateStore;

/// <summary>
/// Two instances of one component over one fresh state store (PostgreSQL unless told), as two processes of a fleet run
/// them: what every two-instance test sets up. Disposing it disposes the instances (the second, then the first, when
/// they are disposable) and then drops the store.
/// </summary>
public sealed class FleetPair<T> : IAsyncDisposable
    where T : notnull
{
    private FleetPair(TestStateStore store, T first, T second)
    {
        Store = store;
        First = first;
        Second = second;
    }

    public TestStateStore Store { get; }

    public T First { get; }

    public T Second { get; }

    /// <param name="instance">Builds one instance over the store; its second argument is <c>first</c> or <c>second</c>.</param>
    public static async Task<FleetPair<T>> StartAsync(
        Func<TestStateStore, string, CancellationToken, Task<T>> instance, CancellationToken cancellationToken, string provider = StateProviders.PostgreSql)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var store = await TestStateStore.CreateAsync(provider, cancellationToken);
        var built = new List<T>(2);
        try
        {
            built.Add(await instance(store, "first", cancellationToken));
            built.Add(await instance(store, "second", cancellationToken));
            return new FleetPair<T>(store, built[0], built[1]);
        }
        catch
        {
            foreach (var one in built)
            {
                await DisposeOneAsync(one);
            }

            await store.DisposeAsync();
            throw;
        }
    }

    public static Task<FleetPair<T>> StartAsync(Func<TestStateStore, string, T> instance, CancellationToken cancellationToken, string provider = StateProviders.PostgreSql)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return StartAsync((store, name, _) => Task.FromResult(instance(store, name)), cancellationToken, provider);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeOneAsync(Second);
        await DisposeOneAsync(First);
        await Store.DisposeAsync();
    }

    private static async ValueTask DisposeOneAsync(T instance)
    {
        if (instance is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (instance is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
