using System.Runtime.CompilerServices;
using Unitization.TestUtils.Security;

namespace Unitization.IntegrationTests.Security;

/// <summary>Before any test runs: every host built here (and every child process) accepts the tests' tokens.</summary>
internal static class TestCredentialsInstaller
{
    [ModuleInitializer]
    internal static void Install() => TestCredentials.Install();
}
