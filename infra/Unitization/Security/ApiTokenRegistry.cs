using System.Data.Common;
using Microsoft.Extensions.Options;
using Unitization.StateStore;

namespace Unitization.Host.Security;

/// <summary>
/// The API tokens this process accepts: the configured ones (<c>Security:ApiTokens</c>) and the ones
/// <c>unitization tokens create</c> stored in the state store (re-read at most every <see cref="RefreshInterval"/>, so a
/// revoked token stops working within it). Hashes only; a presented token is hashed and compared in constant time.
/// </summary>
internal sealed class ApiTokenRegistry
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<StoredApiToken> _configured;
    private readonly IStateDatabase _state;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private IReadOnlyList<StoredApiToken> _stored = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    public ApiTokenRegistry(IOptions<SecurityOptions> options, IStateDatabase state, TimeProvider time)
    {
        _configured = options.Value.ApiTokens
            .Select(t => new StoredApiToken(t.Name, t.Roles.Select(r => ApiRoles.TryParse(r, out var role) ? role : ApiRole.None).ToList(), t.Sha256))
            .ToList();
        _state = state;
        _time = time;
    }

    public async Task<StoredApiToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiTokenText.Sha256Hex(token);
        StoredApiToken? found = null;
        // every entry is compared, so the time taken does not tell which one matched
        foreach (var entry in _configured.Concat(await StoredAsync(cancellationToken).ConfigureAwait(false)))
        {
            if (ApiTokenText.SameHash(entry.Sha256, hash))
            {
                found ??= entry;
            }
        }

        return found;
    }

    private async Task<IReadOnlyList<StoredApiToken>> StoredAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _loadedAt < RefreshInterval)
        {
            return _stored;
        }

        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_time.GetUtcNow() - _loadedAt >= RefreshInterval)
            {
                await using var connection = await _state.OpenAsync(cancellationToken).ConfigureAwait(false);
                _stored = await ApiTokenStore.ListActiveAsync(connection, cancellationToken).ConfigureAwait(false);
                _loadedAt = _time.GetUtcNow();
            }

            return _stored;
        }
        finally
        {
            _reload.Release();
        }
    }
}
