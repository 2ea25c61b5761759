using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Unitization.Namespaces.Configuration;

/// <summary>The start-time checks of an <c>hdfs</c> datacenter's options, each naming its key and what is wrong.</summary>
internal static partial class HdfsValidation
{
    public static IEnumerable<ValidationResult> Validate(DatacenterOptions dc, string key)
    {
        var nameNodes = dc.NameNodeUrls();
        if (nameNodes.Count == 0)
        {
            yield return new ValidationResult(
                "An hdfs namespace needs NameNodes (the WebHDFS addresses of its NameNodes, e.g. [\"http://nn1:9870\", \"http://nn2:9870\"]) or WebHdfsUrl.",
                [$"{key}:NameNodes"]);
        }

        for (var i = 0; i < dc.NameNodes.Count; i++)
        {
            if (HttpProblem(dc.NameNodes[i]) is { } problem)
            {
                yield return new ValidationResult($"NameNode address '{dc.NameNodes[i]}' {problem}.", [$"{key}:NameNodes:{i}"]);
            }
        }

        if (dc.WebHdfsUrl is not null && HttpProblem(dc.WebHdfsUrl) is { } urlProblem)
        {
            yield return new ValidationResult($"WebHdfsUrl '{dc.WebHdfsUrl}' {urlProblem}.", [$"{key}:WebHdfsUrl"]);
        }

        foreach (var problem in ValidateAuth(dc.Auth, $"{key}:Auth"))
        {
            yield return problem;
        }

        foreach (var problem in ValidateJournal(dc.Journal, $"{key}:Journal"))
        {
            yield return problem;
        }
    }

    private static IEnumerable<ValidationResult> ValidateAuth(HdfsAuthOptions auth, string key)
    {
        switch (auth.Method)
        {
            case "simple":
                if (string.IsNullOrWhiteSpace(auth.User))
                {
                    yield return new ValidationResult("Auth 'simple' needs User (sent as user.name).", [$"{key}:User"]);
                }

                break;
            case "token":
                if (string.IsNullOrWhiteSpace(auth.DelegationToken) == string.IsNullOrWhiteSpace(auth.DelegationTokenFile))
                {
                    yield return new ValidationResult("Auth 'token' needs exactly one of DelegationToken and DelegationTokenFile.", [$"{key}:DelegationToken"]);
                }

                break;
            case "kerberos":
                if (!string.IsNullOrEmpty(auth.GatewayBearerToken))
                {
                    yield return new ValidationResult("Auth 'kerberos' sends SPNEGO in the Authorization header; GatewayBearerToken cannot be used with it.", [$"{key}:GatewayBearerToken"]);
                }

                break;
            default:
                yield return new ValidationResult($"Auth Method '{auth.Method}' is unknown (expected 'simple', 'token' or 'kerberos').", [$"{key}:Method"]);
                break;
        }
    }

    private static IEnumerable<ValidationResult> ValidateJournal(HdfsJournalOptions journal, string key)
    {
        var nodes = journal.JournalNodes.Count > 0;
        var directory = !string.IsNullOrWhiteSpace(journal.SharedEditsDirectory);
        if (nodes == directory)
        {
            yield return new ValidationResult(
                "An hdfs namespace needs exactly one of Journal:JournalNodes (with Journal:JournalId) and Journal:SharedEditsDirectory: " +
                "its versions come from the NameNode's edit log.",
                [$"{key}:JournalNodes"]);
        }

        for (var i = 0; i < journal.JournalNodes.Count; i++)
        {
            if (HttpProblem(journal.JournalNodes[i]) is { } problem)
            {
                yield return new ValidationResult($"JournalNode address '{journal.JournalNodes[i]}' {problem}.", [$"{key}:JournalNodes:{i}"]);
            }
        }

        if (nodes && (journal.JournalId is null || !JournalIdPattern().IsMatch(journal.JournalId)))
        {
            yield return new ValidationResult(
                $"Journal:JournalId '{journal.JournalId}' must be the journal's id (1-255 letters, digits, '.', '_' or '-'), the last part of qjournal://.../JOURNALID.",
                [$"{key}:JournalId"]);
        }

        if (journal.FirstSegmentTxId < 1)
        {
            yield return new ValidationResult($"Journal:FirstSegmentTxId {journal.FirstSegmentTxId} must be at least 1.", [$"{key}:FirstSegmentTxId"]);
        }

        if (journal.PollInterval < TimeSpan.FromMilliseconds(10) || journal.PollInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Journal:PollInterval {journal.PollInterval} must be between 00:00:00.010 and 00:01:00.", [$"{key}:PollInterval"]);
        }
    }

    private static string? HttpProblem(Uri uri) =>
        !uri.IsAbsoluteUri ? "must be absolute (http://host:port)"
        : uri.Scheme is not ("http" or "https") ? "must be http or https"
        : null;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,255}$")]
    private static partial Regex JournalIdPattern();
}
