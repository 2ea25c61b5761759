using System.Text.Json;

namespace Unitization.DataManager.Lineage;

/// <summary>
/// Reads OpenLineage RunEvents (https://openlineage.io/spec): <c>eventTime</c>, <c>eventType</c>, <c>job</c>,
/// <c>inputs[].inputFacets.inputStatistics.size</c>, <c>outputs[].outputFacets.outputStatistics.size</c> and the
/// parent run facet. Unknown fields and facets are ignored; a malformed event yields an error naming the field.
/// </summary>
internal static class LineageParser
{
    public static bool TryParse(JsonElement root, out LineageEvent? lineageEvent, out string? error)
    {
        lineageEvent = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"expected a RunEvent object, found {root.ValueKind}";
            return false;
        }

        if (!TryString(root, "eventTime", "eventTime", out var timeText, out error))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(timeText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var eventTime))
        {
            error = $"field 'eventTime': '{timeText}' is not an ISO 8601 date-time";
            return false;
        }

        var eventType = "COMPLETE";
        if (root.TryGetProperty("eventType", out var type) && type.ValueKind != JsonValueKind.Null)
        {
            if (type.ValueKind != JsonValueKind.String)
            {
                error = "field 'eventType': expected a string";
                return false;
            }

            eventType = type.GetString()!.ToUpperInvariant();
        }

        if (!root.TryGetProperty("job", out var job) || job.ValueKind != JsonValueKind.Object)
        {
            error = "field 'job': missing or not an object";
            return false;
        }

        if (!TryString(job, "namespace", "job.namespace", out var jobNamespace, out error) || !TryString(job, "name", "job.name", out var jobName, out error))
        {
            return false;
        }

        var dag = ParentJobName(root) ?? DagOf(jobName);
        if (!TryDatasets(root, "inputs", "inputFacets", "inputStatistics", out var inputs, out error)
            || !TryDatasets(root, "outputs", "outputFacets", "outputStatistics", out var outputs, out error))
        {
            return false;
        }

        lineageEvent = new LineageEvent(eventType, eventTime, new JobRef(jobNamespace, jobName), dag, inputs, outputs);
        return true;
    }

    /// <summary>Airflow names tasks <c>dag_id.task_id</c>: without a parent facet the DAG is the part before the first dot.</summary>
    internal static string DagOf(string jobName)
    {
        var dot = jobName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? jobName[..dot] : jobName;
    }

    private static string? ParentJobName(JsonElement root) =>
        root.TryGetProperty("run", out var run) && run.ValueKind == JsonValueKind.Object
        && run.TryGetProperty("facets", out var facets) && facets.ValueKind == JsonValueKind.Object
        && facets.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty("job", out var parentJob) && parentJob.ValueKind == JsonValueKind.Object
        && parentJob.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private static bool TryDatasets(JsonElement root, string field, string facetsField, string statisticsField, out List<DatasetIo> datasets, out string? error)
    {
        datasets = [];
        error = null;
        if (!root.TryGetProperty(field, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            error = $"field '{field}': expected an array";
            return false;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{field}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                error = $"field '{path}': expected an object";
                return false;
            }

            if (!TryString(item, "namespace", path + ".namespace", out var ns, out error) || !TryString(item, "name", path + ".name", out var name, out error))
            {
                return false;
            }

            long bytes = 0;
            if (item.TryGetProperty(facetsField, out var facets) && facets.ValueKind == JsonValueKind.Object
                && facets.TryGetProperty(statisticsField, out var statistics) && statistics.ValueKind == JsonValueKind.Object
                && statistics.TryGetProperty("size", out var size) && size.ValueKind != JsonValueKind.Null)
            {
                if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out bytes) || bytes < 0)
                {
                    error = $"field '{path}.{facetsField}.{statisticsField}.size': expected a whole number of bytes >= 0";
                    return false;
                }
            }

            datasets.Add(new DatasetIo(new DatasetRef(ns, name), bytes));
        }

        return true;
    }

    private static bool TryString(JsonElement parent, string property, string path, out string value, out string? error)
    {
        value = string.Empty;
        if (!parent.TryGetProperty(property, out var element))
        {
            error = $"field '{path}': missing";
            return false;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            error = $"field '{path}': expected a non-empty string";
            return false;
        }

        value = element.GetString()!;
        error = null;
        return true;
    }
}
