using System.Text.Json;

namespace Unitization.Namespaces.Local;

/// <summary>
/// The edits a writable instance logged and could not apply, kept in <c>edits/unapplied.json</c> (written atomically)
/// so a read-only instance (<c>unitization fs edits</c>) and the next open see them too. While any is listed the
/// namespace opens and reads, and takes no writes, until <c>unitization fs recover</c> resolves them.
/// </summary>
internal sealed class UnappliedEdits(string file)
{
    private readonly Lock _gate = new();
    private List<UnappliedEdit> _edits = [];

    public IReadOnlyList<UnappliedEdit> Current
    {
        get
        {
            lock (_gate)
            {
                return [.. _edits];
            }
        }
    }

    /// <summary>Reads the file the writer keeps; a file that cannot be read is itself reported.</summary>
    public void Load()
    {
        List<UnappliedEdit> edits;
        try
        {
            edits = File.Exists(file) ? JsonSerializer.Deserialize<List<UnappliedEdit>>(File.ReadAllBytes(file)) ?? [] : [];
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            edits = [new UnappliedEdit(0, default, "/", null, $"'{file}' cannot be read: {ex.Message}")];
        }

        lock (_gate)
        {
            _edits = edits;
        }
    }

    public void Set(IReadOnlyList<UnappliedEdit> edits)
    {
        lock (_gate)
        {
            _edits = [.. edits];
            Save();
        }
    }

    public void Add(UnappliedEdit edit)
    {
        lock (_gate)
        {
            _edits.Add(edit);
            Save();
        }
    }

    private void Save()
    {
        if (_edits.Count == 0)
        {
            File.Delete(file);
            return;
        }

        var temporary = file + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(_edits));
        File.Move(temporary, file, overwrite: true);
    }
}
