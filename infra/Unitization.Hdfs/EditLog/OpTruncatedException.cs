namespace Unitization.Hdfs.EditLog;

/// <summary>The bytes ended inside an op: the segment is cut there (an in-progress segment still being written).</summary>
internal sealed class OpTruncatedException : Exception
{
    public OpTruncatedException()
        : base("the edit log ends inside an op")
    {
    }

    public OpTruncatedException(string message)
        : base(message)
    {
    }

    public OpTruncatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
