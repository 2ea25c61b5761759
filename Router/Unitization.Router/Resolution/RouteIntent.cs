namespace Unitization.Router.Resolution;

/// <summary>What the caller wants to do with the path.</summary>
public enum RouteIntent
{
    Read,
    Write,
}
