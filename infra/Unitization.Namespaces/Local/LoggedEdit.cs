using Unitization.Namespaces.Edits;

namespace Unitization.Namespaces.Local;

/// <summary>An edit as the log stores it: the public record plus the staged file a Create renames into place (for redo on open).</summary>
internal sealed record LoggedEdit(EditRecord Edit, string? Stage);
