using System.Diagnostics;

namespace Unitization.TestUtils.Servers;

/// <summary>
/// The MIT Kerberos realm <c>infra/kerberos/kdc.sh</c> started for the tests (folder in <c>UNITIZATION_TEST_KERBEROS</c>,
/// with <c>KRB5_CONFIG</c>, <c>KRB5_KTNAME</c> and <c>KRB5CCNAME</c> exported by infra/test.sh): its keytabs, and
/// <c>kinit</c>/<c>kdestroy</c> on the tests' ticket cache.
/// </summary>
public static class KerberosRealm
{
    public const string Variable = "UNITIZATION_TEST_KERBEROS";
    public const string Realm = "UNITIZATION.TEST";
    public const string HowToStart = "infra/kerberos/kdc.sh start DIR && source DIR/kdc.env (infra/test.sh does it)";

    /// <summary>The realm's folder; skips (fails under CI=true) when no realm was started.</summary>
    public static string Require()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        RequiredServer.Require(
            folder is { Length: > 0 } && File.Exists(Path.Combine(folder, "http.keytab")) && Environment.GetEnvironmentVariable("KRB5_CONFIG") is { Length: > 0 },
            $"a Kerberos realm ({Variable}, KRB5_CONFIG)",
            HowToStart);
        return folder!;
    }

    /// <summary><c>kinit -kt NAME.keytab NAME</c> into the ticket cache of <c>KRB5CCNAME</c>.</summary>
    public static Task<(int Code, string Output)> KinitAsync(string principal, CancellationToken cancellationToken) =>
        RunAsync("kinit", ["-kt", Path.Combine(Require(), principal + ".keytab"), principal + "@" + Realm], cancellationToken);

    /// <summary>Empties the ticket cache.</summary>
    public static Task<(int Code, string Output)> KdestroyAsync(CancellationToken cancellationToken) => RunAsync("kdestroy", ["-q"], cancellationToken, allowFailure: true);

    /// <summary>Runs a command, returning its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        if (!allowFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {output}");
        }

        return (process.ExitCode, output);
    }
}
