namespace Unitization.SampleHms;

/// <summary>Which Hive the sample HMS answers as.</summary>
public enum SampleHmsVersion
{
    /// <summary>Hive 4: no <c>get_table</c> (answered with TApplicationException UNKNOWN_METHOD, as a Thrift server does for any method it lacks).</summary>
    Hive4,

    /// <summary>Hive 3: <c>get_table</c> and <c>get_table_req</c>.</summary>
    Hive3,
}
