namespace Unitization.StateStore.Changes;

/// <summary>The kinds of change announced on the feed (each its own PostgreSQL channel, <c>unitization_&lt;kind&gt;</c>).</summary>
public static class StateChangeKinds
{
    /// <summary>A new placement plan was saved.</summary>
    public const string Plan = "plan";

    /// <summary>A mount was added, replaced or removed through the admin API.</summary>
    public const string Mounts = "mounts";

    /// <summary>The replication rules changed: a DataManager instance put a new plan in force (replicators reload their rules).</summary>
    public const string Rules = "rules";

    /// <summary>A tenant cap or a link rate changed.</summary>
    public const string Throttle = "throttle";

    /// <summary>An API migration was started, moved on or finished.</summary>
    public const string Migrations = "migrations";

    /// <summary>The channel a kind is announced on.</summary>
    public static string Channel(string kind) => "unitization_" + kind;
}
