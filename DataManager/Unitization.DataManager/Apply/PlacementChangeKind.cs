namespace Unitization.DataManager.Apply;

/// <summary>The kinds of <see cref="PlacementChange"/>, in the order an apply runs them.</summary>
internal static class PlacementChangeKind
{
    public const string MovePrimary = "move-primary";
    public const string AddReplica = "add-replica";
    public const string RetireReplica = "retire-replica";

    public static int Order(string kind) => kind switch
    {
        MovePrimary => 0,
        AddReplica => 1,
        _ => 2,
    };
}
