using Unitization.Analytics.Storage;
using Unitization.TestUtils.Servers;

namespace Unitization.IntegrationTests.ClickHouse;

/// <summary>
/// The ClickHouse server <c>infra/test.sh</c> starts (<c>UNITIZATION_TEST_CLICKHOUSE</c>, default
/// http://127.0.0.1:8123) and a fresh database for one test class, dropped afterwards.
/// </summary>
public sealed class ClickHouseDatabaseFixture : IAsyncLifetime
{
    public const string Variable = "UNITIZATION_TEST_CLICKHOUSE";
    public const string HowToStart = "infra/clickhouse/clickhouse.sh start .run/ch && export UNITIZATION_TEST_CLICKHOUSE=http://127.0.0.1:$(cat .run/ch/http.port)";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Server { get; } = new(RequiredServer.Setting(Variable, "http://127.0.0.1:8123"));

    public string Database { get; } = "test_" + Guid.NewGuid().ToString("N")[..12];

    public bool Available { get; private set; }

    /// <summary>Statements and reads in the fixture's database.</summary>
    internal ClickHouseHttp Http { get; private set; } = null!;

    /// <summary>Statements outside any database (CREATE/DROP DATABASE).</summary>
    internal ClickHouseHttp ServerHttp { get; private set; } = null!;

    public void Require() => RequiredServer.Require(Available, $"ClickHouse ({Variable}={Server})", HowToStart);

    public async ValueTask InitializeAsync()
    {
        ServerHttp = new ClickHouseHttp(_http, Server, null);
        Http = new ClickHouseHttp(_http, Server, Database);
        Available = await ServerHttp.PingAsync(CancellationToken.None);
        if (Available)
        {
            await ServerHttp.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {Database}", CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Available)
        {
            try
            {
                await ServerHttp.DropDatabaseAsync(Database, CancellationToken.None);
            }
            catch (ClickHouseException)
            {
                // a test that stopped the server leaves its database behind; the run folder goes with it
            }
        }

        _http.Dispose();
    }
}
