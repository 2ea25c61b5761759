namespace Unitization.Replication.Migration;

public static class MigrationPhase
{
    public const string Listing = "listing";
    public const string Copying = "copying";
    public const string CatchingUp = "catching-up";
    public const string Publishing = "publishing";
    public const string Done = "done";
    public const string Failed = "failed";
}
