using Microsoft.AspNetCore.Http;

namespace Unitization.Router.Gateway;

/// <summary>The job names a read may carry (X-Job-Id, ?job=, X-Caller-Context), checked before anything else; only a trusted gateway's are believed (<see cref="Security.WebHdfsGuard.JobOf"/>).</summary>
internal static class WebHdfsJobIds
{
    /// <summary>The longest job id a read may name (X-Job-Id, ?job=, X-Caller-Context).</summary>
    public const int MaxJobIdLength = 1024;

    /// <summary>
    /// The job a read is counted and throttled for (X-Job-Id, ?job=, X-Caller-Context) is a tenant name in the
    /// throttle and a job in the traffic records: refused when it is longer than <see cref="MaxJobIdLength"/> or holds a
    /// control character. A job id that names a capped job only slows the caller's own reads.
    /// </summary>
    public static void Check(HttpContext context)
    {
        Check("header X-Job-Id", context.Request.Headers["X-Job-Id"].ToString());
        Check("parameter \"job\"", context.Request.Query["job"].ToString());
        Check("header X-Caller-Context", context.Request.Headers["X-Caller-Context"].ToString());

        static void Check(string field, string value)
        {
            if (value.Length > MaxJobIdLength)
            {
                throw WebHdfsException.IllegalArgument($"Invalid value for {field}: {value.Length} characters; at most {MaxJobIdLength}");
            }

            var control = RouterPath.ControlCharacterAt(value);
            if (control >= 0)
            {
                throw WebHdfsException.IllegalArgument($"Invalid value for {field}: control character U+{(int)value[control]:X4} at index {control}");
            }
        }
    }
}
