namespace Unitization.IntegrationTests.Analytics;

/// <summary>The stack over a ClickHouse of its own (started with <c>infra/clickhouse/clickhouse.sh</c>), which a test may stop and restart.</summary>
public sealed class AnalyticsStackWithOwnClickHouse : AnalyticsStack
{
    public AnalyticsStackWithOwnClickHouse()
        : base(ownClickHouse: true)
    {
    }
}
