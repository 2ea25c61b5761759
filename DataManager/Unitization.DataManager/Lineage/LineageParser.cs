using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Unitization.DataManager.Lineage;

/// <summary>
/// Reads OpenLineage RunEvents (https://openlineage.io/spec): <c>eventTime</c>, <c>eventType</c>, <c>job</c>,
/// <c>inputs[].inputFacets.inputStatistics.size</c>, <c>outputs[].outputFacets.outputStatistics.size</c> and the
/// parent run facet. Unknown fields and facets are skipped; a malformed event yields an error naming the field.
/// The event is read in one forward pass of a <see cref="Utf8JsonReader"/> over its UTF-8 bytes (no document, no
/// UTF-16 copy); the fields are then checked in a fixed order (eventTime, eventType, job, inputs, outputs), so the
/// error reported does not depend on the order of the properties. Text that is not JSON throws
/// <see cref="JsonException"/>.
/// </summary>
internal static class LineageParser
{
    private const string Missing = "missing";

    public static bool TryParse(JsonElement root, out LineageEvent? lineageEvent, out string? error) =>
        TryParse(JsonMarshal.GetRawUtf8Value(root), out lineageEvent, out error);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> utf8, out LineageEvent? lineageEvent, out string? error)
    {
        lineageEvent = null;
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = Kind(reader.TokenType);
            reader.Skip();
            EndOfDocument(ref reader);
            error = $"expected a RunEvent object, found {kind}";
            return false;
        }

        var eventTime = new Field(Missing);
        var eventType = new Field(null) { Value = "COMPLETE" };
        var jobError = (string?)"field 'job': missing or not an object";
        var jobNamespace = new Field(Missing);
        var jobName = new Field(Missing);
        string? parent = null;
        string? runId = null;
        var staticJob = false;
        Datasets? announced = null;
        var inputs = new Datasets();
        var outputs = new Datasets();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("eventTime"u8))
            {
                eventTime = NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("eventType"u8))
            {
                reader.Read();
                eventType = reader.TokenType switch
                {
                    JsonTokenType.Null => new Field(null) { Value = "COMPLETE" },
                    JsonTokenType.String => new Field(null) { Value = EventType(ref reader) },
                    _ => new Field("expected a string"),
                };
                reader.Skip();
            }
            else if (reader.ValueTextEquals("job"u8))
            {
                reader.Read();
                jobNamespace = new Field(Missing);
                jobName = new Field(Missing);
                jobError = reader.TokenType == JsonTokenType.StartObject ? null : "field 'job': missing or not an object";
                if (jobError is null)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("namespace"u8))
                        {
                            jobNamespace = NonEmptyString(ref reader, namespaces: true);
                        }
                        else if (reader.ValueTextEquals("name"u8))
                        {
                            jobName = NonEmptyString(ref reader);
                        }
                        else
                        {
                            SkipValue(ref reader);
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("run"u8))
            {
                parent = ParentJobName(ref reader, out runId);
            }
            else if (reader.ValueTextEquals("schemaURL"u8))
            {
                // a JobEvent (static lineage, spec 2-0-x) names its schema: ".../OpenLineage.json#/$defs/JobEvent"
                reader.Read();
                staticJob = reader.TokenType == JsonTokenType.String && reader.GetString()!.EndsWith("/JobEvent", StringComparison.Ordinal);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("dataset"u8))
            {
                // a DatasetEvent: {"dataset": {"namespace", "name", "facets"}} read as a one-item dataset list
                announced = ReadDataset(ref reader);
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                inputs = ReadDatasets(ref reader, "inputs", "inputFacets.inputStatistics", "inputFacets"u8, "inputStatistics"u8);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                outputs = ReadDatasets(ref reader, "outputs", "outputFacets.outputStatistics", "outputFacets"u8, "outputStatistics"u8);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        EndOfDocument(ref reader);
        if ((error = eventTime.ErrorAt("eventTime")) is not null)
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(eventTime.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            error = $"field 'eventTime': '{eventTime.Value}' is not an ISO 8601 date-time";
            return false;
        }

        if (jobError is not null && announced is not null)
        {
            if ((error = announced.Error) is not null)
            {
                return false;
            }

            lineageEvent = new LineageEvent(LineageEvent.DatasetEventType, time, default, string.Empty, [], announced.Items);
            return true;
        }

        if ((error = eventType.ErrorAt("eventType") ?? jobError ?? jobNamespace.ErrorAt("job.namespace") ?? jobName.ErrorAt("job.name")
            ?? inputs.Error ?? outputs.Error) is not null)
        {
            return false;
        }

        var job = new JobRef(jobNamespace.Value!, jobName.Value!);
        lineageEvent = new LineageEvent(staticJob ? LineageEvent.JobEventType : eventType.Value!, time, job, parent ?? DagOf(job.Name), inputs.Items, outputs.Items)
        {
            RunId = staticJob ? null : runId,
        };
        return true;
    }

    /// <summary>Airflow names tasks <c>dag_id.task_id</c>: without a parent facet the DAG is the part before the first dot.</summary>
    internal static string DagOf(string jobName)
    {
        var dot = jobName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? jobName[..dot] : jobName;
    }

    // A string field as read: its value, or what is wrong with it (null when nothing is).
    private readonly record struct Field(string? Error)
    {
        public string? Value { get; init; }

        public string? ErrorAt(string path) => Error is null ? null : $"field '{path}': {Error}";
    }

    private sealed class Datasets
    {
        public List<DatasetIo> Items { get; } = [];

        public string? Error { get; set; }
    }

    // The OpenLineage event types as constants (no string per event); anything else upper-cased.
    private static string EventType(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("COMPLETE"u8) ? "COMPLETE"
        : reader.ValueTextEquals("START"u8) ? "START"
        : reader.ValueTextEquals("RUNNING"u8) ? "RUNNING"
        : reader.ValueTextEquals("FAIL"u8) ? "FAIL"
        : reader.ValueTextEquals("ABORT"u8) ? "ABORT"
        : reader.GetString()!.ToUpperInvariant();

    // Reader on a property name: reads its value as a non-empty string. Job and dataset namespaces are few and
    // repeat on every event, so they come from a small per-thread cache instead of a new string each.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Field NonEmptyString(ref Utf8JsonReader reader, bool namespaces = false)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            var value = namespaces ? NamespaceCache.Get(ref reader) : reader.GetString()!;
            if (string.IsNullOrWhiteSpace(value))
            {
                return new Field("expected a non-empty string");
            }

            // "\u0000" is a valid JSON escape but no part of a job or dataset name to store and show
            return value.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') >= 0 || value.AsSpan().IndexOfAnyInRange('\u007f', '\u009f') >= 0
                ? new Field("contains a control character")
                : new Field(null) { Value = value };
        }

        reader.Skip();
        return new Field("expected a non-empty string");
    }

    // Reader on a property name: moves past its value.
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static void EndOfDocument(ref Utf8JsonReader reader)
    {
        // throws JsonException when anything but whitespace follows the event
        if (reader.Read())
        {
            throw new JsonException($"'{Kind(reader.TokenType)}' follows the event on the same line.");
        }
    }

    // Reader on the dataset property of a DatasetEvent: its namespace and name, as one item.
    private static Datasets ReadDataset(ref Utf8JsonReader reader)
    {
        var dataset = new Datasets();
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            dataset.Error = "field 'dataset': expected an object";
            return dataset;
        }

        var ns = new Field(Missing);
        var name = new Field(Missing);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("namespace"u8))
            {
                ns = NonEmptyString(ref reader, namespaces: true);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                name = NonEmptyString(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        dataset.Error = ns.ErrorAt("dataset.namespace") ?? name.ErrorAt("dataset.name");
        if (dataset.Error is null)
        {
            dataset.Items.Add(new DatasetIo(new DatasetRef(ns.Value!, name.Value!), 0));
        }

        return dataset;
    }

    // run.facets.parent.job.name, or null when any step is absent or of another kind; run.runId as runId.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ParentJobName(ref Utf8JsonReader reader, out string? runId)
    {
        reader.Read();
        runId = null;
        string? name = null;
        ReadOnlySpan<byte> facets = "facets"u8, parent = "parent"u8, job = "job"u8, leaf = "name"u8;
        var depth = 0; // how many of run, facets, parent, job the reader is inside
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var start = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > start)
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                depth--;
                continue;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (depth == 0 && reader.ValueTextEquals("runId"u8))
            {
                reader.Read();
                runId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
                continue;
            }

            var step = depth switch { 0 => facets, 1 => parent, 2 => job, _ => leaf };
            if (!reader.ValueTextEquals(step))
            {
                SkipValue(ref reader);
                continue;
            }

            reader.Read();
            if (depth == 3)
            {
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : name;
                reader.Skip();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                depth++;
            }
            else
            {
                reader.Skip();
            }
        }

        return name;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Datasets ReadDatasets(ref Utf8JsonReader reader, string field, string statisticsPath, ReadOnlySpan<byte> facetsField, ReadOnlySpan<byte> statisticsName)
    {
        var datasets = new Datasets();
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return datasets;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            datasets.Error = $"field '{field}': expected an array";
            return datasets;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = index++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                datasets.Error ??= $"field '{field}[{at}]': expected an object";
                continue;
            }

            var ns = new Field(Missing);
            var name = new Field(Missing);
            long bytes = 0;
            string? sizeError = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("namespace"u8))
                {
                    ns = NonEmptyString(ref reader, namespaces: true);
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    name = NonEmptyString(ref reader);
                }
                else if (reader.ValueTextEquals(facetsField))
                {
                    (bytes, sizeError) = ReadSize(ref reader, statisticsName);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            if (datasets.Error is not null)
            {
                continue;
            }

            if (ns.Error is null && name.Error is null && sizeError is null)
            {
                datasets.Items.Add(new DatasetIo(new DatasetRef(ns.Value!, name.Value!), bytes));
                continue;
            }

            var path = $"{field}[{at}]";
            datasets.Error = ns.ErrorAt(path + ".namespace") ?? name.ErrorAt(path + ".name") ?? $"field '{path}.{statisticsPath}.size': {sizeError}";
        }

        return datasets;
    }

    // Reader on the facets property: <facets>.<statistics>.size, 0 when absent or null.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Bytes, string? Error) ReadSize(ref Utf8JsonReader reader, ReadOnlySpan<byte> statisticsName)
    {
        long bytes = 0;
        string? error = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (0, null);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals(statisticsName))
            {
                SkipValue(ref reader);
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("size"u8))
                {
                    SkipValue(ref reader);
                    continue;
                }

                reader.Read();
                (bytes, error) = reader.TokenType switch
                {
                    JsonTokenType.Null => (0L, (string?)null),
                    JsonTokenType.Number when reader.TryGetInt64(out var size) && size >= 0 => (size, null),
                    _ => (0L, "expected a whole number of bytes >= 0"),
                };
                reader.Skip();
            }
        }

        return (bytes, error);
    }

    private static class NamespaceCache
    {
        private const int MaxEntries = 256;

        [ThreadStatic]
        private static Dictionary<string, string>? t_strings;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static string Get(ref Utf8JsonReader reader)
        {
            if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 128 || !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
            {
                return reader.GetString()!;
            }

            Span<char> chars = stackalloc char[128];
            var length = System.Text.Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            var strings = t_strings ??= new Dictionary<string, string>(StringComparer.Ordinal);
            var lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..length], out var cached))
            {
                return cached;
            }

            var value = reader.GetString()!;
            if (strings.Count < MaxEntries)
            {
                strings[value] = value;
            }

            return value;
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => nameof(JsonValueKind.Object),
        JsonTokenType.StartArray => nameof(JsonValueKind.Array),
        JsonTokenType.String => nameof(JsonValueKind.String),
        JsonTokenType.Number => nameof(JsonValueKind.Number),
        JsonTokenType.True => nameof(JsonValueKind.True),
        JsonTokenType.False => nameof(JsonValueKind.False),
        JsonTokenType.Null => nameof(JsonValueKind.Null),
        _ => token.ToString(),
    };
}
