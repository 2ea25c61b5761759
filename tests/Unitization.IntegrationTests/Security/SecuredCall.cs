namespace Unitization.IntegrationTests.Security;

/// <summary>
/// One mutating call and the least role that may make it: <see cref="Smaller"/> is the role just below (null when
/// nothing is below), <see cref="Setup"/> a call made first as admin so that the call itself succeeds (e.g. the cap a
/// DELETE lifts).
/// </summary>
public sealed record SecuredCall(string Method, string Path, string? Body, string Role, string? Smaller, SecuredCall? Setup = null)
{
    public override string ToString() => $"{Method} {Path} ({Role})";
}
