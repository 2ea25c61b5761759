namespace Unitization.Host.Hosting;

/// <summary>A configuration file that cannot be used, with the file, and the key or line, that is wrong.</summary>
public sealed class ConfigurationFileException : Exception
{
    public ConfigurationFileException(string message)
        : base(message)
    {
    }

    public ConfigurationFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationFileException()
    {
    }
}
