namespace Unitization.Analytics.Storage;

/// <summary>ClickHouse could not be reached or refused a statement; the message carries the server's reason.</summary>
public sealed class ClickHouseException : Exception
{
    public ClickHouseException()
    {
    }

    public ClickHouseException(string message)
        : base(message)
    {
    }

    public ClickHouseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
