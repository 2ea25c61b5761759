namespace Unitization.TestUtils.Servers;

/// <summary>The real servers integration tests use, as infra/test.sh starts them.</summary>
public static class TestServers
{
    /// <summary>Bootstrap servers of the dev Kafka broker (<c>UNITIZATION_TEST_KAFKA</c>).</summary>
    public static string? Kafka => Environment.GetEnvironmentVariable("UNITIZATION_TEST_KAFKA") is { Length: > 0 } k ? k : null;

    /// <summary>ClickHouse's HTTP URL (<c>UNITIZATION_TEST_CLICKHOUSE</c>).</summary>
    public static string? ClickHouse => Environment.GetEnvironmentVariable("UNITIZATION_TEST_CLICKHOUSE") is { Length: > 0 } c ? c : null;

    public static string RequireKafka()
    {
        RequiredServer.Require(Kafka is not null, "The dev Kafka broker (UNITIZATION_TEST_KAFKA)", "infra/devbroker.sh start .run/broker --config infra/config/unitization.json; export UNITIZATION_TEST_KAFKA=$(cat .run/broker/kafka.bootstrap)");
        return Kafka!;
    }

    public static string RequireClickHouse()
    {
        RequiredServer.Require(ClickHouse is not null, "ClickHouse (UNITIZATION_TEST_CLICKHOUSE)", "infra/clickhouse/clickhouse.sh start .run/ch; export UNITIZATION_TEST_CLICKHOUSE=http://127.0.0.1:$(cat .run/ch/http.port)");
        return ClickHouse!;
    }
}
