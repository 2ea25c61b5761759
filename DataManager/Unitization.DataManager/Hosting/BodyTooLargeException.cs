namespace Unitization.DataManager.Hosting;

/// <summary>A request body (after decompression) passed its limit: the caller answers 413.</summary>
internal sealed class BodyTooLargeException : IOException
{
    public BodyTooLargeException()
    {
    }

    public BodyTooLargeException(string message)
        : base(message)
    {
    }

    public BodyTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BodyTooLargeException(long limit)
        : base($"The body is more than {limit} bytes.")
    {
    }
}
