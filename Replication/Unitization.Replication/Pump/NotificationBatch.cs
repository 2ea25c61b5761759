using Unitization.Replication.Metastore.Thrift;

namespace Unitization.Replication.Pump;

/// <summary>One read of HMS's notification log: the events in id order, the id the checkpoint may move to, and an id gap.</summary>
/// <param name="Last">Every event up to this id that the pump needs is in <paramref name="Events"/>.</param>
/// <param name="GapTo">When events after the checkpoint were cleaned from the log: the first id still there.</param>
internal sealed record NotificationBatch(IReadOnlyList<NotificationEvent> Events, long Last, long? GapTo);
