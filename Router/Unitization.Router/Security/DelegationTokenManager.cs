using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Unitization.Router.Gateway;

namespace Unitization.Router.Security;

/// <summary>
/// Issues, verifies, renews and cancels WebHDFS delegation tokens as a NameNode's secret manager does: the password is
/// HMAC-SHA1 of the identifier under the master key it names; a token is valid while its row in the state store lives
/// and its renewal and max date are ahead; renewal (by the renewer) moves the renewal up to the max date; cancel (by
/// owner or renewer) deletes the row, after which every instance refuses it.
/// </summary>
internal sealed class DelegationTokenManager(StateStoreDelegationTokenStore store, IOptions<RouterOptions> options, TimeProvider time)
{
    private WebHdfsSecurityOptions Options => options.Value.WebHdfs;

    public async Task<DelegationToken> IssueAsync(string owner, string? realUser, string renewer, string kind, string service, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (keyId, secret) = await store.CurrentKeyAsync(now, Options.KeyUpdateInterval, cancellationToken).ConfigureAwait(false);
        var sequence = await store.NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        var maxDate = now + (long)Options.TokenMaxLifetime.TotalMilliseconds;
        var identifier = new DelegationTokenIdentifier(owner, renewer, realUser ?? string.Empty, now, maxDate, sequence, keyId);
        var bytes = identifier.ToBytes();
        await store.AddAsync(sequence, owner, Math.Min(maxDate, now + (long)Options.TokenRenewInterval.TotalMilliseconds), maxDate, now, cancellationToken).ConfigureAwait(false);
        return new DelegationToken(bytes, HMACSHA1.HashData(secret, bytes), kind, service);
    }

    /// <summary>The identifier of a genuine, live token; otherwise a 403 InvalidToken naming why (never echoing the token).</summary>
    public async Task<DelegationTokenIdentifier> VerifyAsync(string urlString, CancellationToken cancellationToken)
    {
        var identifier = await GenuineAsync(urlString, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var renewUntil = await store.RenewUntilAsync(identifier.SequenceNumber, cancellationToken).ConfigureAwait(false)
            ?? throw InvalidToken($"{identifier} can't be found in cache (cancelled or expired)");
        return renewUntil < now || identifier.MaxDate < now ? throw InvalidToken($"{identifier} is expired") : identifier;
    }

    /// <summary>Renews a token for its renewer: the new expiry (ms since the epoch), never past the max date.</summary>
    public async Task<long> RenewAsync(string urlString, string renewer, CancellationToken cancellationToken)
    {
        var identifier = await VerifyAsync(urlString, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(identifier.Renewer, WebHdfsCaller.ShortName(renewer), StringComparison.Ordinal) && !string.Equals(identifier.Renewer, renewer, StringComparison.Ordinal))
        {
            throw WebHdfsException.AccessControl($"{WebHdfsCaller.ShortName(renewer)} tries to renew a token ({identifier}) with non-matching renewer {identifier.Renewer}");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiry = Math.Min(identifier.MaxDate, now + (long)Options.TokenRenewInterval.TotalMilliseconds);
        return await store.RenewAsync(identifier.SequenceNumber, expiry, cancellationToken).ConfigureAwait(false)
            ? expiry
            : throw InvalidToken($"{identifier} can't be found in cache (cancelled meanwhile)");
    }

    /// <summary>Cancels a token for its owner or renewer; the identifier it was.</summary>
    public async Task<DelegationTokenIdentifier> CancelAsync(string urlString, string canceller, CancellationToken cancellationToken)
    {
        var identifier = await GenuineAsync(urlString, cancellationToken).ConfigureAwait(false);
        var shortName = WebHdfsCaller.ShortName(canceller);
        if (!(string.Equals(identifier.Owner, canceller, StringComparison.Ordinal) || string.Equals(WebHdfsCaller.ShortName(identifier.Owner), shortName, StringComparison.Ordinal)
            || string.Equals(identifier.Renewer, shortName, StringComparison.Ordinal)))
        {
            throw WebHdfsException.AccessControl($"{shortName} is not authorized to cancel the token ({identifier})");
        }

        return await store.RemoveAsync(identifier.SequenceNumber, cancellationToken).ConfigureAwait(false)
            ? identifier
            : throw InvalidToken($"{identifier} can't be found in cache (already cancelled or expired)");
    }

    /// <summary>A token whose password is the HMAC of its identifier under the master key it names.</summary>
    private async Task<DelegationTokenIdentifier> GenuineAsync(string urlString, CancellationToken cancellationToken)
    {
        if (!DelegationToken.TryParse(urlString, out var token, out var error))
        {
            throw InvalidToken($"the delegation token is malformed: {error}");
        }

        DelegationTokenIdentifier identifier;
        try
        {
            identifier = DelegationTokenIdentifier.Parse(token!.Identifier);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw InvalidToken($"the delegation token's identifier is malformed: {ex.Message}");
        }

        var key = await store.KeyAsync(identifier.MasterKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw InvalidToken($"{identifier}: master key {identifier.MasterKeyId} is unknown");
        var expected = HMACSHA1.HashData(key, token.Identifier);
        return CryptographicOperations.FixedTimeEquals(expected, token.Password)
            ? identifier
            : throw InvalidToken($"{identifier}: the password does not match (a tampered or foreign token)");
    }

    public static WebHdfsException InvalidToken(string message) =>
        new(Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden, "InvalidToken", "org.apache.hadoop.security.token.SecretManager$InvalidToken", message);
}
