namespace Unitization.Namespaces.Local;

/// <summary>
/// One writer per namespace root: the writable instance holds an exclusive lock on <c>edits/writer.lock</c> for as long
/// as it is open, so a second writer (another process or instance) is refused instead of interleaving edits.
/// </summary>
internal static class WriterLock
{
    public static FileStream Acquire(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not NamespaceWriterHeldException)
        {
            throw new NamespaceWriterHeldException(
                $"The namespace at '{Path.GetDirectoryName(Path.GetDirectoryName(lockPath))}' is already open for writing by another process or instance " +
                "(one writer per namespace); open it read-only or stop the other writer.", ex);
        }
    }
}
