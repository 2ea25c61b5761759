namespace Unitization.Analytics.Traffic;

/// <summary>Publishes traffic records for Analytics; never blocks the data path.</summary>
public interface ITrafficRecorder
{
    void Record(TrafficRecord record);
}
