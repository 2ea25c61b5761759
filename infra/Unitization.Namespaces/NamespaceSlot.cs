namespace Unitization.Namespaces;

/// <summary>
/// A catalog's place for one namespace, opened on first use. A failed open is kept and rethrown (a corrupt log
/// is not replayed again on every call), except when another process holds the writer lock: that open is tried again
/// on the next call, so a standby writer takes over as soon as the other one stops or dies (the kernel releases its lock).
/// </summary>
internal sealed class NamespaceSlot(Func<INamespace> open)
{
    private readonly Lock _gate = new();
    private INamespace? _opened;
    private Exception? _failed;

    public bool IsOpen => Volatile.Read(ref _opened) is not null;

    public INamespace? Opened => Volatile.Read(ref _opened);

    public INamespace Get()
    {
        if (Volatile.Read(ref _opened) is { } opened)
        {
            return opened;
        }

        lock (_gate)
        {
            if (_opened is not null)
            {
                return _opened;
            }

            if (_failed is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failed);
            }

            try
            {
                var ns = open();
                Volatile.Write(ref _opened, ns);
                return ns;
            }
            catch (NamespaceWriterHeldException)
            {
                throw;
            }
            catch (Exception ex)
            {
                _failed = ex;
                throw;
            }
        }
    }
}
