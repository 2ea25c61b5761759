namespace Unitization.Router.Security;

/// <summary>One write ACL entry: <c>{"Path":"/warehouse/finance","Users":["etl"],"Groups":["finance"],"Roles":["operator"]}</c>; <c>"*"</c> in Users is everyone authenticated.</summary>
public sealed class WriteAclOptions
{
    public string Path { get; set; } = string.Empty;

    public List<string> Users { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    public List<string> Roles { get; set; } = [];
}
