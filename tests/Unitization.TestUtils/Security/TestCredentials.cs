using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Unitization.TestUtils.Security;

/// <summary>
/// The credentials every integration test uses. <see cref="Install"/> (called once by the test assembly's module
/// initializer) puts API tokens into this process's environment as <c>UNITIZATION_Security__ApiTokens__*</c>, so every
/// host built in the tests (in-process through <c>UnitizationHost.Build</c>, or a child <c>unitization serve</c>, which
/// inherits the environment) accepts them: <see cref="AdminToken"/> (role admin) for the tests' own calls,
/// <see cref="ServiceToken"/> (role service) for the roles' calls to each other (<c>Security:Client:Token</c>), one token
/// of each other role, and JWTs signed with <see cref="JwtKey"/> by <see cref="JwtIssuer"/>; the CLI
/// gets the admin token through <c>UNITIZATION_TOKEN</c>. <see cref="TestHttpClient"/> sends the admin token.
/// A test of the security itself adds more tokens from index <see cref="FirstFreeIndex"/> on.
/// </summary>
public static class TestCredentials
{
    public const string AdminToken = "unz_test-admin-0000000000000000000000000000000000";
    public const string ServiceToken = "unz_test-service-00000000000000000000000000000000";
    public const string OperatorToken = "unz_test-operator-0000000000000000000000000000000";
    public const string SchedulerToken = "unz_test-scheduler-000000000000000000000000000000";
    public const string ReaderToken = "unz_test-reader-000000000000000000000000000000000";
    public const int FirstFreeIndex = 5;

    /// <summary>The JWT issuer every test host trusts, with <see cref="JwtKey"/> (HS256).</summary>
    public const string JwtIssuer = "https://issuer.test.unitization";
    public const string JwtAudience = "unitization-api";
    public const string JwtKey = "dGVzdC1qd3Qta2V5LW9mLXVuaXRpemF0aW9uLTMyYnl0ZXMhIQ==";

    /// <summary>The token of each role, by role name.</summary>
    public static IReadOnlyDictionary<string, string> ByRole { get; } = new Dictionary<string, string>
    {
        ["admin"] = AdminToken, ["operator"] = OperatorToken, ["scheduler"] = SchedulerToken, ["reader"] = ReaderToken, ["service"] = ServiceToken,
    };

    public static AuthenticationHeaderValue AdminHeader => new("Bearer", AdminToken);

    /// <summary>The environment every test host reads (idempotent).</summary>
    public static void Install()
    {
        foreach (var (key, value) in Environment())
        {
            System.Environment.SetEnvironmentVariable(key, value);
        }
    }

    /// <summary>The variables <see cref="Install"/> sets, for a child process started with a clean environment.</summary>
    public static IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>
        {
            ["UNITIZATION_Security__Jwt__Issuer"] = JwtIssuer,
            ["UNITIZATION_Security__Jwt__Audience"] = JwtAudience,
            ["UNITIZATION_Security__Jwt__SigningKeys__0__Symmetric"] = JwtKey,
            ["UNITIZATION_Security__Client__Token"] = ServiceToken,
            ["UNITIZATION_TOKEN"] = AdminToken,
        };
        string[] order = ["admin", "service", "operator", "scheduler", "reader"];
        for (var i = 0; i < order.Length; i++)
        {
            foreach (var (key, value) in TokenOverrides(i, "test-" + order[i], ByRole[order[i]], order[i]))
            {
                variables["UNITIZATION_" + key.Replace(":", "__", StringComparison.Ordinal)] = value!;
            }
        }

        return variables;
    }

    /// <summary>Configuration overrides adding a token with these roles at <paramref name="index"/> (from <see cref="FirstFreeIndex"/>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> TokenOverrides(int index, string name, string token, params string[] roles)
    {
        yield return new($"Security:ApiTokens:{index}:Name", name);
        yield return new($"Security:ApiTokens:{index}:Sha256", Sha256(token));
        for (var i = 0; i < roles.Length; i++)
        {
            yield return new($"Security:ApiTokens:{index}:Roles:{i}", roles[i]);
        }
    }

    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
