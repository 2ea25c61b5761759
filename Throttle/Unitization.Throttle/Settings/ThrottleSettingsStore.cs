using System.Data.Common;
using System.Globalization;
using Unitization.StateStore;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;

namespace Unitization.Throttle.Settings;

/// <summary>
/// The operator's throttle settings in the state store: tenant caps (<c>throttle_caps</c>) and link rates set through
/// the API (<c>throttle_link_rates</c>, over the configured rate), so they survive restarts and every throttle
/// instance of a fleet holds the same.
/// </summary>
internal sealed class ThrottleSettingsStore(IStateDatabase database)
{
    public static readonly StateMigration Migration = new("throttle", 1, "caps-and-link-rates", """
        CREATE TABLE throttle_caps (
            tenant TEXT PRIMARY KEY,
            bytes_per_second DOUBLE PRECISION NOT NULL,
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL,
            reason TEXT NULL);
        CREATE TABLE throttle_link_rates (
            from_dc TEXT NOT NULL,
            to_dc TEXT NOT NULL,
            bytes_per_second DOUBLE PRECISION NOT NULL,
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL,
            PRIMARY KEY (from_dc, to_dc));
        """);

    private const string CapColumns = "tenant, bytes_per_second, set_by, set_at, reason";

    public Task SaveCapAsync(TenantCap cap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cap);
        return database.ExecuteAsync(
            """
            INSERT INTO throttle_caps (tenant, bytes_per_second, set_by, set_at, reason) VALUES (@tenant, @rate, @by, @at, @reason)
            ON CONFLICT (tenant) DO UPDATE SET bytes_per_second = excluded.bytes_per_second, set_by = excluded.set_by,
              set_at = excluded.set_at, reason = excluded.reason
            """,
            [("@tenant", cap.Tenant), ("@rate", cap.BytesPerSecond), ("@by", cap.SetBy), ("@at", Text(cap.SetAt)), ("@reason", cap.Reason)],
            cancellationToken);
    }

    /// <summary>Removes the tenant's cap; the one removed, or null when it had none.</summary>
    public async Task<TenantCap?> RemoveCapAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = StateSql.Command(connection, "DELETE FROM throttle_caps WHERE tenant = @tenant RETURNING " + CapColumns);
        delete.Add("@tenant", tenant);
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCap(reader) : null;
    }

    public Task SaveRateAsync(LinkId link, double bytesPerSecond, string setBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO throttle_link_rates (from_dc, to_dc, bytes_per_second, set_by, set_at) VALUES (@from, @to, @rate, @by, @at)
            ON CONFLICT (from_dc, to_dc) DO UPDATE SET bytes_per_second = excluded.bytes_per_second, set_by = excluded.set_by, set_at = excluded.set_at
            """,
            [("@from", link.From), ("@to", link.To), ("@rate", bytesPerSecond), ("@by", setBy), ("@at", Text(at))],
            cancellationToken);

    /// <summary>Every stored cap and link rate.</summary>
    public async Task<(IReadOnlyList<TenantCap> Caps, IReadOnlyDictionary<LinkId, double> Rates)> LoadAsync(CancellationToken cancellationToken)
    {
        var caps = new List<TenantCap>();
        var rates = new Dictionary<LinkId, double>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var select = StateSql.Command(connection, $"SELECT {CapColumns} FROM throttle_caps ORDER BY tenant"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                caps.Add(ReadCap(reader));
            }
        }

        await using (var select = StateSql.Command(connection, "SELECT from_dc, to_dc, bytes_per_second FROM throttle_link_rates"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rates[new LinkId(reader.GetString(0), reader.GetString(1))] = reader.GetDouble(2);
            }
        }

        return (caps, rates);
    }

    private static TenantCap ReadCap(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetDouble(1),
        reader.GetString(2),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        reader.IsDBNull(4) ? null : reader.GetString(4));

    private static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
