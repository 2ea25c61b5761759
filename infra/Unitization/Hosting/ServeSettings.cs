namespace Unitization.Host.Hosting;

/// <summary>What <c>unitization serve</c> was asked for.</summary>
/// <param name="ConfigPath">The JSON configuration file.</param>
/// <param name="Roles">The roles this process takes.</param>
/// <param name="Urls">Where to listen, e.g. <c>http://127.0.0.1:8080</c> (port 0 picks a free one).</param>
/// <param name="Kafka">A real Kafka's bootstrap servers, overriding the dev broker's address file.</param>
/// <param name="DataFolder">Overrides the configuration's <c>DataFolder</c>.</param>
/// <param name="Overrides">Further configuration keys (<c>Section:Key</c>) that win over the file.</param>
/// <param name="SampleHms">Run the sample HMS and its workload in this process (<c>--sample-hms</c>).</param>
public sealed record ServeSettings(
    string ConfigPath,
    Role Roles,
    string Urls,
    string? Kafka = null,
    string? DataFolder = null,
    IReadOnlyDictionary<string, string?>? Overrides = null,
    SampleHms.SampleHmsSettings? SampleHms = null);
